import { useState, type FormEvent } from "react";
import { api, ApiError } from "../../shared/api.ts";
import { Field } from "../../shared/Field.tsx";
import { exportHref, frDate } from "./format.ts";
import { formatDateTime } from "../../shared/labels.ts";

interface Match { id: string; externalId: string | null; lastName: string; birthName: string | null; firstName: string | null; birthDate: string; inseeCode: string | null; communeName: string | null; erasedAt: string | null; campaigns: number }

export function PatientRightsPage() {
  const [q, setQ] = useState("");
  const [birthDate, setBirthDate] = useState("");
  const [matches, setMatches] = useState<Match[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [erasing, setErasing] = useState<Match | null>(null);
  const [note, setNote] = useState("");
  const [done, setDone] = useState<string | null>(null);

  async function search(e?: FormEvent) {
    e?.preventDefault();
    setError(null);
    try {
      setMatches(await api<Match[]>("GET", `/privacy/patients?${new URLSearchParams({ q, ...(birthDate ? { birthDate } : {}) })}`));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Recherche impossible.");
    }
  }
  async function erase(e: FormEvent) {
    e.preventDefault();
    if (!erasing) return;
    setError(null);
    try {
      await api("POST", `/privacy/patients/${erasing.id}/erase`, { confirm: true, note });
      setDone(`Identité de ${erasing.lastName} ${erasing.firstName ?? ""} effacée.`);
      setErasing(null);
      setNote("");
      await search();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Effacement impossible.");
    }
  }
  return (
    <article className="report" aria-labelledby="rights-title">
      <h2 id="rights-title">Droits des patients : accès et effacement</h2>
      <p className="lead">Un patient demande ce que nous savons de lui (droit d'accès) ou l'effacement de ses données. Chaque recherche, export et effacement est inscrit au journal d'audit.</p>
      <form className="inline-form panel" onSubmit={search} aria-label="Rechercher le patient">
        <Field label="Nom, identifiant caisse ou identifiant" hint="le début du nom suffit">{(id, hint) => <input id={id} required minLength={2} aria-describedby={hint} value={q} onChange={(e) => setQ(e.target.value)} />}</Field>
        <Field label="Date de naissance (facultatif)">{(id) => <input id={id} type="date" value={birthDate} onChange={(e) => setBirthDate(e.target.value)} />}</Field>
        <button type="submit">Rechercher</button>
      </form>
      {error && <p role="alert" className="error">{error}</p>}
      {done && <p role="status" className="notice">{done}</p>}
      {matches && (matches.length ? (
        <table>
          <caption>Patients trouvés</caption>
          <thead><tr><th scope="col">Patient</th><th scope="col">Naissance</th><th scope="col">Commune</th><th scope="col">Campagnes</th><th scope="col">Droit d'accès</th><th scope="col">Effacement</th></tr></thead>
          <tbody>{matches.map((m) => (
            <tr key={m.id}>
              <th scope="row">{m.lastName} {m.firstName} {m.externalId && <small>({m.externalId})</small>}</th>
              <td>{frDate(m.birthDate)}</td><td>{m.inseeCode ? `${m.communeName ?? ""} (${m.inseeCode})`.trim() : "—"}</td><td>{m.campaigns}</td>
              <td>
                <a href={exportHref(`/privacy/patients/${m.id}/record`, { format: "json" })} download>JSON</a>{" · "}
                <a href={exportHref(`/privacy/patients/${m.id}/record`, { format: "csv" })} download>CSV</a>
              </td>
              <td>{m.erasedAt ? `effacée le ${formatDateTime(m.erasedAt)}` : <button type="button" className="secondary" onClick={() => setErasing(m)}>Effacer l'identité<span className="sr-only"> de {m.lastName}</span></button>}</td>
            </tr>
          ))}</tbody>
        </table>
      ) : <p>Aucun patient ne correspond.</p>)}
      {matches?.length === 20 && <p className="hint">Seuls les 20 premiers patients sont affichés : précisez le nom ou la date de naissance.</p>}
      {erasing && (
        <form className="panel" onSubmit={erase} aria-labelledby="erase-title">
          <h3 id="erase-title">Effacer l'identité de {erasing.lastName} {erasing.firstName}</h3>
          <p>Sont effacés : nom, prénom, identifiants, téléphones, adresse, lignes des listings, numéros composés et commentaires d'appel ; la date de naissance est réduite à l'année.
            Sont conservés, comme la loi l'impose : les consentements recueillis, le journal d'audit, les orientations et déclarations (sans identité), et les comptes des rapports.
            Le patient ne sera plus appelé dans les campagnes en cours.</p>
          <Field label="Demande du patient" hint="date et forme de la demande, par exemple « courrier du 2 mars »">{(id, hint) => <input id={id} required minLength={3} aria-describedby={hint} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
          <button type="submit">Confirmer l'effacement</button>{" "}
          <button type="button" className="secondary" onClick={() => setErasing(null)}>Annuler</button>
        </form>
      )}
    </article>
  );
}
