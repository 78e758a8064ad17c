// The page a GP or MSP team opens from its link, without an account: declare capacity, or confirm
// or decline the patients oriented to it. A forged, expired or revoked link shows only why.
import { useCallback, useEffect, useState } from "react";
import { useParams } from "react-router";
import { api, ApiError } from "../shared/api.ts";
import { Field } from "../shared/Field.tsx";
import { formatDateTime, frDate } from "../shared/labels.ts";

interface Holder { kind: "gp" | "team"; name: string; communeName: string | null; acceptsNew: boolean; capacity: number; acceptsAld: boolean; taken: number; capacityDeclaredAt: string | null }
interface Oriented { id: string; status: "reserved" | "confirmed"; reservedAt: string; expiresAt: string; lastName: string; firstName: string | null; birthDate: string; communeName: string | null; ald: boolean; assignedGpId: string | null }
interface Page {
  purpose: "capacity" | "orientations"; organisation: string; expiresAt: string; holder: Holder;
  doctors: { id: string; rpps: string; name: string; endOfActivity: string | null; takesNew: boolean }[]; orientations: Oriented[]; withoutConsent: number;
}

export default function GpLinkPage() {
  const { token = "" } = useParams();
  const [page, setPage] = useState<Page | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setPage(await api<Page>("GET", `/public/links/${encodeURIComponent(token)}`));
    } catch (err) {
      setFailure(err instanceof ApiError ? err.message : "Page indisponible. Réessayez plus tard.");
    }
  }, [token]);
  useEffect(() => {
    document.title = "Orientation de patients — médecin traitant";
    void load();
  }, [load]);

  return (
    <main className="content gp-link">
      <h1>Orientation de patients sans médecin traitant</h1>
      {failure ? <p role="alert" className="error">{failure}</p> : !page ? <p>Chargement…</p> : (
        <>
          <p className="lead">
            {page.holder.kind === "team" ? "Équipe" : ""} <strong>{page.holder.name}</strong>{page.holder.communeName ? ` — ${page.holder.communeName}` : ""}.
            Lien envoyé par <strong>{page.organisation}</strong>, valable jusqu'au {formatDateTime(page.expiresAt)}.
          </p>
          {page.purpose === "capacity" ? <CapacityForm token={token} holder={page.holder} onSaved={load} /> : <OrientationList token={token} page={page} onAnswered={load} />}
          <p className="print-hint"><button type="button" className="secondary" onClick={() => window.print()}>Imprimer cette page</button></p>
        </>
      )}
    </main>
  );
}

function CapacityForm({ token, holder, onSaved }: { token: string; holder: Holder; onSaved: () => void }) {
  const [acceptsNew, setAcceptsNew] = useState(holder.acceptsNew);
  const [capacity, setCapacity] = useState(String(holder.capacity));
  const [acceptsAld, setAcceptsAld] = useState(holder.acceptsAld);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  async function save(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await api("PUT", `/public/links/${encodeURIComponent(token)}/capacity`, { acceptsNew, capacity: acceptsNew ? Number(capacity) : 0, acceptsAld });
      setMessage("Merci : votre capacité d'accueil est enregistrée.");
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Enregistrement impossible.");
    }
  }
  return (
    <form className="panel" onSubmit={save} aria-labelledby="capacity-title">
      <h2 id="capacity-title">Votre capacité d'accueil de nouveaux patients</h2>
      <p>Places déjà prises (patients orientés vers vous en attente de votre réponse, ou confirmés) : <strong>{holder.taken}</strong>.</p>
      <fieldset>
        <legend>Prenez-vous de nouveaux patients comme médecin traitant ?</legend>
        <label className="checkbox"><input type="radio" name="acceptsNew" checked={acceptsNew} onChange={() => setAcceptsNew(true)} /> Oui</label>
        <label className="checkbox"><input type="radio" name="acceptsNew" checked={!acceptsNew} onChange={() => setAcceptsNew(false)} /> Non, pas pour le moment</label>
      </fieldset>
      {acceptsNew && (
        <>
          <Field label="Combien de nouveaux patients pouvez-vous accueillir ?" hint="nombre total de places ouvertes, y compris celles déjà réservées">
            {(id, hint) => <input id={id} type="number" min={0} max={5000} required aria-describedby={hint} value={capacity} onChange={(e) => setCapacity(e.target.value)} />}
          </Field>
          <fieldset>
            <legend>Acceptez-vous des patients en affection de longue durée (ALD) ?</legend>
            <label className="checkbox"><input type="radio" name="acceptsAld" checked={acceptsAld} onChange={() => setAcceptsAld(true)} /> Oui</label>
            <label className="checkbox"><input type="radio" name="acceptsAld" checked={!acceptsAld} onChange={() => setAcceptsAld(false)} /> Non</label>
          </fieldset>
        </>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      {message && <p role="status" className="notice">{message}</p>}
      <button type="submit">Enregistrer</button>
    </form>
  );
}

function OrientationList({ token, page, onAnswered }: { token: string; page: Page; onAnswered: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [doctor, setDoctor] = useState<Record<string, string>>({});
  const [reason, setReason] = useState<Record<string, string>>({});
  // one answer at a time: a double click sends one, not a second one refused as « déjà confirmée »
  const [answering, setAnswering] = useState<string | null>(null);
  async function answer(o: Oriented, decision: "confirm" | "decline") {
    if (answering) return;
    setError(null);
    setMessage(null);
    if (decision === "decline" && (reason[o.id] ?? "").trim().length < 2) return setError("Indiquez le motif du refus, pour que la coordination oriente le patient ailleurs.");
    if (decision === "confirm" && page.holder.kind === "team" && !doctor[o.id]) return setError("Choisissez le médecin de l'équipe qui accueille ce patient.");
    setAnswering(o.id);
    try {
      await api("POST", `/public/links/${encodeURIComponent(token)}/orientations/${o.id}/answer`,
        decision === "confirm" ? { decision, ...(page.holder.kind === "team" ? { assignedGpId: doctor[o.id] } : {}) } : { decision, reason: reason[o.id] ?? "" });
      setMessage(decision === "confirm" ? `${o.lastName} ${o.firstName ?? ""} : accueil confirmé, merci.` : `${o.lastName} ${o.firstName ?? ""} : refus enregistré ; la coordination proposera un autre médecin au patient.`);
      onAnswered();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Réponse impossible.");
    } finally {
      setAnswering(null);
    }
  }
  const waiting = page.orientations.filter((o) => o.status === "reserved");
  const confirmed = page.orientations.filter((o) => o.status === "confirmed");
  const doctorName = (id: string | null) => page.doctors.find((d) => d.id === id)?.name;
  // a doctor leaving soon is listed but cannot be chosen; said under the field, as a closed list does not show it
  const leaving = page.doctors.filter((d) => !d.takesNew);
  const leavingHint = leaving.length
    ? `${leaving.map((d) => `${d.name} (cessation d'activité le ${frDate(d.endOfActivity!)})`).join(", ")} : ne ${leaving.length > 1 ? "prennent" : "prend"} plus de nouveaux patients.`
    : undefined;
  return (
    <section className="panel" aria-labelledby="oriented-title">
      <h2 id="oriented-title">Patients orientés vers {page.holder.kind === "team" ? "votre équipe" : "vous"}</h2>
      <p>Places : {page.holder.taken} {page.holder.taken > 1 ? "prises" : "prise"} sur {page.holder.capacity}.</p>
      {error && <p role="alert" className="error">{error}</p>}
      {message && <p role="status" className="notice">{message}</p>}
      {page.withoutConsent > 0 && <p className="notice">{page.withoutConsent} patient(s) orienté(s) n'ont pas (ou plus) donné leur accord pour transmettre leur identité : la coordination vous recontactera.</p>}
      <h3>En attente de votre réponse ({waiting.length})</h3>
      {!waiting.length ? <p>Aucun patient en attente.</p> : (
        <ul className="oriented">
          {waiting.map((o) => (
            <li key={o.id} className="panel">
              <p><strong>{o.lastName} {o.firstName}</strong>, né(e) le {o.birthDate.split("-").reverse().join("/")}{o.communeName ? `, ${o.communeName}` : ""}{o.ald ? " — ALD" : ""}</p>
              <p><small>Réservé le {formatDateTime(o.reservedAt)}, sans réponse la place est libérée le {formatDateTime(o.expiresAt)}.</small></p>
              <div className="inline-form">
                {page.holder.kind === "team" && (
                  <Field label="Médecin de l'équipe qui accueille ce patient" hint={leavingHint}>
                    {(id, hint) => (
                      <select id={id} aria-describedby={hint} value={doctor[o.id] ?? ""} onChange={(e) => setDoctor({ ...doctor, [o.id]: e.target.value })}>
                        <option value="">— choisir —</option>
                        {page.doctors.map((d) => (
                          <option key={d.id} value={d.id} disabled={!d.takesNew}>
                            {d.name} (RPPS {d.rpps}){d.takesNew ? "" : ` — cesse son activité le ${frDate(d.endOfActivity!)}`}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                )}
                <button type="button" onClick={() => answer(o, "confirm")} disabled={answering === o.id}>Confirmer l'accueil</button>
                <Field label="Motif en cas de refus">
                  {(id) => <input id={id} value={reason[o.id] ?? ""} onChange={(e) => setReason({ ...reason, [o.id]: e.target.value })} />}
                </Field>
                <button type="button" className="secondary" onClick={() => answer(o, "decline")} disabled={answering === o.id}>Refuser</button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <h3>Accueil confirmé ({confirmed.length})</h3>
      {!confirmed.length ? <p>Aucun pour le moment.</p> : (
        <ul>{confirmed.map((o) => <li key={o.id}>{o.lastName} {o.firstName}, né(e) le {o.birthDate.split("-").reverse().join("/")}{doctorName(o.assignedGpId) ? ` — ${doctorName(o.assignedGpId)}` : ""}</li>)}</ul>
      )}
    </section>
  );
}
