// "Pourquoi ce patient n'est pas appelé ?": a coordinator (or supervisor) looks up a patient of the
// campaign by the identifier of the patient export, or (coordinators) by name, and reads every
// reason the dialer would not hand them out right now, as the server explains it.
import { useState, type FormEvent } from "react";
import { api, ApiError } from "../shared/api.ts";
import { Field } from "../shared/Field.tsx";

interface Explanation {
  enrolmentId: string;
  patientId: string;
  dialState: "waiting" | "held" | "done";
  priorityLabel: string;
  attempts: number;
  lastOutcome: string | null;
  callableNow: boolean;
  reasons: { code: string; text: string }[];
  summary: string;
}
interface Match { enrolmentId: string; patientId: string; lastName: string; birthName: string | null; firstName: string | null; birthDate: string; priorityLabel: string }

const DIAL_STATE: Record<Explanation["dialState"], string> = { waiting: "à appeler", held: "attribué à un agent", done: "appels terminés" };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function WhyNotCalled({ campaignId, searchByName = true }: { campaignId: string; searchByName?: boolean }) {
  const [ref, setRef] = useState("");
  const [name, setName] = useState("");
  const [matches, setMatches] = useState<Match[] | null>(null);
  const [result, setResult] = useState<{ explanation: Explanation; who: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);

  const explain = async (id: string, who: string | null) => {
    setError(null);
    setResult(null);
    try {
      setResult({ explanation: await api<Explanation>("GET", `/campaigns/${campaignId}/why-not-called?patient=${encodeURIComponent(id)}`), who });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Explication indisponible.");
    }
  };
  const byId = (e: FormEvent) => {
    e.preventDefault();
    const id = ref.trim();
    if (!UUID.test(id)) return setError("Identifiant invalide : copiez la colonne « Identifiant » de l'export des patients.");
    setMatches(null);
    void explain(id, null);
  };
  const search = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setResult(null);
    try {
      setMatches(await api<Match[]>("GET", `/campaigns/${campaignId}/patient-search?q=${encodeURIComponent(name.trim())}`));
    } catch (err) {
      setMatches(null);
      setError(err instanceof ApiError ? err.message : "Recherche impossible.");
    }
  };
  const label = (m: Match) => `${m.lastName} ${m.firstName ?? ""}`.trim() + (m.birthName && m.birthName !== m.lastName ? ` (née ${m.birthName})` : "");

  return (
    <section className="panel why-not-called" aria-labelledby="why-title">
      <h3 id="why-title">Pourquoi ce patient n'est pas appelé ?</h3>
      <form className="inline-form" onSubmit={byId} aria-label="Par identifiant">
        <Field label="Identifiant du patient" hint="colonne « Identifiant » de l'export des patients">
          {(id, describedBy) => <input id={id} aria-describedby={describedBy} value={ref} onChange={(e) => setRef(e.target.value)} size={38} spellCheck={false} />}
        </Field>
        <button type="submit">Expliquer</button>
      </form>
      {searchByName && (
        <form className="inline-form" onSubmit={search} aria-label="Par nom">
          <Field label="Ou rechercher par nom" hint="nom, nom de naissance ou prénom ; accents indifférents">
            {(id, describedBy) => <input id={id} aria-describedby={describedBy} value={name} onChange={(e) => setName(e.target.value)} minLength={2} required />}
          </Field>
          <button type="submit" className="secondary">Rechercher</button>
        </form>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      {result && (
        <div className="explanation" aria-live="polite">
          <p role="status" className={result.explanation.callableNow ? "notice" : "warning"}>
            <strong>{result.who ?? `Patient ${result.explanation.patientId}`}</strong> — {result.explanation.summary}
          </p>
          <p><small>{result.explanation.priorityLabel} ; état : {DIAL_STATE[result.explanation.dialState]} ; {result.explanation.attempts} tentative{result.explanation.attempts > 1 ? "s" : ""}</small></p>
          {result.explanation.reasons.length > 0 && (
            <ul className="reasons">
              {result.explanation.reasons.map((r) => <li key={r.code + r.text}>{r.text}</li>)}
            </ul>
          )}
        </div>
      )}
      {matches && (matches.length ? (<>
        <h4 id="matches-title">Patients trouvés{matches.length >= 20 ? " (les 20 premiers : précisez le nom ou le prénom)" : ""}</h4>
        <ul className="matches" aria-labelledby="matches-title">
          {matches.map((m) => (
            <li key={m.enrolmentId}>
              {label(m)} — né(e) le {m.birthDate.split("-").reverse().join("/")} <small>({m.priorityLabel})</small>{" "}
              <button type="button" className="secondary" aria-label={`Expliquer : ${label(m)}, né(e) le ${m.birthDate.split("-").reverse().join("/")}`} onClick={() => void explain(m.enrolmentId, label(m))}>Expliquer</button>
            </li>
          ))}
        </ul>
      </>) : <p>Aucun patient de cette campagne ne porte ce nom.</p>)}
    </section>
  );
}
