// Médecin traitant declarations: confirmed orientations whose patient consented, sent to the fund as
// a file (one batch per export, re-downloadable), and the fund's answer imported back.
import { useState } from "react";
import { api, ApiError } from "../shared/api.ts";
import { FileNotes, FileUpload } from "../shared/FileUpload.tsx";
import { formatDateTime } from "../shared/labels.ts";
import { useApi } from "../shared/useApi.ts";

interface Pending { count: number; items: { orientationId: string; externalId: string | null; lastName: string; firstName: string | null; gp: { rpps: string; lastName: string }; confirmedAt: string }[] }
interface Batch { batchId: string; sentAt: string; sentBy: string | null; count: number; counts: { sent: number; declared: number; rejected: number }; rejected: { declarationId: string; lastName: string; firstName: string | null; gpRpps: string; reason: string | null }[] }
interface AnswerReport { counts: { rows: number; declared: number; rejected: number; errors: number; unchanged?: number }; errors: { line: number; reason: string }[]; notes: string[] }

export function DeclarationsPanel() {
  const pending = useApi<Pending>("/declarations/pending?limit=50");
  const batches = useApi<Batch[]>("/declarations/batches");
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [report, setReport] = useState<AnswerReport | null>(null);
  const reload = () => {
    pending.reload();
    batches.reload();
  };

  async function send() {
    setError(null);
    try {
      const b = await api<{ batchId: string; count: number; withoutFundIdentifier: number }>("POST", "/declarations/batches");
      setNotice(`Lot créé : ${b.count} déclaration(s), marquées envoyées. Téléchargez le fichier pour la caisse ci-dessous.`
        + (b.withoutFundIdentifier ? ` ${b.withoutFundIdentifier} sans identifiant caisse du patient (le listing n'en donnait pas) : la caisse devra les rapprocher par nom, prénom et date de naissance.` : ""));
      reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Création du lot impossible.");
    }
  }

  return (
    <section className="panel" aria-labelledby="declarations-title">
      <h2 id="declarations-title">Déclarations de médecin traitant</h2>
      <p className="lead">Orientations confirmées par le médecin, dont le patient a accepté que la caisse enregistre la déclaration.</p>
      {error && <p role="alert" className="error">{error}</p>}
      {notice && <p role="status" className="notice">{notice}</p>}
      <h3>À envoyer ({pending.data?.count ?? "…"})</h3>
      {pending.data?.items.length ? (
        <div className="table-scroll" tabIndex={0}>
          <table>
            <caption className="sr-only">Déclarations à envoyer</caption>
            <thead><tr><th scope="col">Identifiant caisse</th><th scope="col">Patient</th><th scope="col">Médecin (RPPS)</th><th scope="col">Confirmé le</th></tr></thead>
            <tbody>{pending.data.items.map((d) => <tr key={d.orientationId}><td>{d.externalId ?? "—"}</td><td>{d.lastName} {d.firstName}</td><td>Dr {d.gp.lastName} ({d.gp.rpps})</td><td>{formatDateTime(d.confirmedAt)}</td></tr>)}</tbody>
          </table>
        </div>
      ) : <p>Aucune déclaration en attente.</p>}
      <button type="button" onClick={send} disabled={!pending.data?.count}>Créer le lot et marquer comme envoyées</button>

      <h3>Lots envoyés</h3>
      {batches.data?.length ? (
        <table>
          <caption className="sr-only">Lots de déclarations</caption>
          <thead><tr><th scope="col">Envoyé le</th><th scope="col">Déclarations</th><th scope="col">En attente de la caisse</th><th scope="col">Déclarées</th><th scope="col">Rejetées</th><th scope="col">Fichier</th></tr></thead>
          <tbody>
            {batches.data.map((b) => (
              <tr key={b.batchId}>
                <td>{formatDateTime(b.sentAt)}{b.sentBy ? ` — ${b.sentBy}` : ""}</td><td>{b.count}</td><td>{b.counts.sent}</td><td>{b.counts.declared}</td>
                <td>{b.counts.rejected}{b.rejected.length ? <ul>{b.rejected.map((r) => <li key={r.declarationId}>{r.lastName} {r.firstName} : {r.reason ?? "sans motif"}</li>)}</ul> : null}</td>
                <td><a href={`/api/declarations/batches/${b.batchId}/file`} download>Télécharger (CSV)</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : <p>Aucun lot envoyé.</p>}

      <h3>Retour de la caisse</h3>
      <FileUpload<AnswerReport> path="/declarations/answers" label="Fichier de retour de la caisse" hint="CSV : reference_declaration (ou identifiant_patient + rpps_medecin), statut (déclaré / rejeté), motif"
        button="Importer le retour" onDone={(r) => { setReport(r); reload(); }} />
      {report && (
        <div role="status" className="notice">
          <p>{report.counts.rows} ligne(s) : {report.counts.declared} déclarée(s), {report.counts.rejected} rejetée(s), {report.counts.errors} ligne(s) inutilisable(s){report.counts.unchanged ? `, ${report.counts.unchanged} déjà connue(s)` : ""}.</p>
          <FileNotes notes={report.notes} />
          {report.errors.length ? <ul>{report.errors.slice(0, 50).map((e) => <li key={e.line}>Ligne {e.line} : {e.reason}</li>)}</ul> : null}
        </div>
      )}
    </section>
  );
}
