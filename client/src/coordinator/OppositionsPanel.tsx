// The organisation's opposition register: every campaign honours it. Fed by calls ("s'oppose à tout
// appel"), listings, and the register a coordinator imports.
import { useState } from "react";
import { FileNotes, FileUpload } from "../shared/FileUpload.tsx";
import { formatDateTime } from "../shared/labels.ts";
import { useApi } from "../shared/useApi.ts";

interface Page { total: number; page: number; pageSize: number; items: { patientId: string; sourceLabel: string; at: string; comment: string | null; recordedBy: string | null; lastName: string; firstName: string | null; birthDate: string | null }[] }
interface ImportReport { counts: { rows: number; registered: number; alreadyOpposed: number; rejected: number }; rejected: { line: number; reason: string }[]; notes: string[] }

export function OppositionsPanel() {
  const [page, setPage] = useState(1);
  const list = useApi<Page>(`/oppositions?page=${page}&pageSize=25`);
  const [report, setReport] = useState<ImportReport | null>(null);
  const pages = list.data ? Math.max(1, Math.ceil(list.data.total / list.data.pageSize)) : 1;
  return (
    <section className="panel" aria-labelledby="oppositions-title">
      <h2 id="oppositions-title">Registre des oppositions ({list.data?.total ?? "…"})</h2>
      <p className="lead">Un patient inscrit n'est plus jamais appelé par aucune campagne de l'organisation.</p>
      <FileUpload<ImportReport> path="/oppositions/imports" label="Importer un registre d'oppositions" hint="CSV ou XLSX : NIR, identifiant caisse, ou nom + prénom + date de naissance"
        button="Importer" onDone={(r) => { setReport(r); list.reload(); }} />
      {report && (
        <div role="status" className="notice">
          <p>{report.counts.rows} ligne(s) : {report.counts.registered} inscrit(s), {report.counts.alreadyOpposed} déjà inscrit(s), {report.counts.rejected} rejetée(s).</p>
          <FileNotes notes={report.notes} />
          {report.rejected.length ? <ul>{report.rejected.slice(0, 50).map((r) => <li key={r.line}>Ligne {r.line} : {r.reason}</li>)}</ul> : null}
        </div>
      )}
      {list.data?.items.length ? (
        <>
          <table>
            <caption className="sr-only">Patients opposés</caption>
            <thead><tr><th scope="col">Patient</th><th scope="col">Né(e) le</th><th scope="col">Origine</th><th scope="col">Inscrit le</th><th scope="col">Commentaire</th></tr></thead>
            <tbody>{list.data.items.map((o) => <tr key={o.patientId}><td>{o.lastName} {o.firstName}</td><td>{o.birthDate ? o.birthDate.slice(0, 10).split("-").reverse().join("/") : "—"}</td><td>{o.sourceLabel}{o.recordedBy ? ` (${o.recordedBy})` : ""}</td><td>{formatDateTime(o.at)}</td><td>{o.comment ?? ""}</td></tr>)}</tbody>
          </table>
          <div className="inline-form">
            <button type="button" className="secondary small" disabled={page <= 1} onClick={() => setPage(page - 1)}>Page précédente</button>
            <span>Page {page} / {pages}</span>
            <button type="button" className="secondary small" disabled={page >= pages} onClick={() => setPage(page + 1)}>Page suivante</button>
          </div>
        </>
      ) : <p>Aucune opposition enregistrée.</p>}
    </section>
  );
}
