// Upload a listing, watch it run, fix the column mapping when detection is unsure, read the report; find a past
// import again (« Imports précédents ») and the organisation's saved column mappings.
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { api, ApiError } from "../shared/api.ts";
import { Field } from "../shared/Field.tsx";
import { IMPORT_STATUS_LABELS } from "../shared/labels.ts";
import { ImportHistory } from "./ImportHistory.tsx";
import { IMPORT_FIELDS } from "./importFields.ts";
import { SavedMappings } from "./SavedMappings.tsx";
import { FileNotes } from "../shared/FileUpload.tsx";

export interface ImportReport {
  id: string;
  status: "uploaded" | "queued" | "running" | "done" | "failed";
  fileName: string;
  /** `notes`: what of the file's shape was not imported, in French (a « sep=; » line, a title above the header, other sheets). */
  detected: { encoding: string | null; delimiter: string | null; format: string | null; headerLine?: number | null; sheet?: string | null; notes?: string[] };
  needsMapping: {
    headers: string[]; rows: { line: number; cells: string[] }[]; proposal: Record<string, number | number[]>; missingRequired: string[];
    /** The header's line; the rows read above it (a title, blank lines), which the coordinator may choose instead. */
    headerLine?: number; above?: { line: number; cells: string[] }[];
    /** Why detection did not run the import by itself, in French (absent from imports prepared before it existed). */
    unsure?: string[];
  } | null;
  /** The report was made for a reader of the listing's rows (policy « import:rows »): the rejected rows' CSV is theirs. */
  mayReadRows: boolean;
  progress: { lastLine: number; estimatedLines: number | null };
  counts: { rows: number; accepted: number; merged: number; rejected: number; skipped: number; remarked: number };
  rejected: { line: number; reason: string }[];
  rejectedTruncated: boolean;
  remarks: { line: number; remark: string }[];
  remarksTruncated: boolean;
  /** The file's columns the import does not read; `mayDecide` says, in French, why one may have mattered. */
  ignoredColumns: { column: number; header: string; mayDecide: string | null }[];
  error: string | null;
}

const DELIMITERS: Record<string, string> = { ";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale" };

/** Upload target: a campaign's patient listing, or the organisation's GP roster. */
export type ImportTarget = { kind: "patients"; campaignId: string } | { kind: "gps" };

export function ImportWizard({ target, onDone }: { target: ImportTarget; onDone?: () => void }) {
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Bumped when the list of past imports (or of saved mappings) may have changed: an upload, a mapping, an end.
  const [historyKey, setHistoryKey] = useState(0);
  const [mappingsKey, setMappingsKey] = useState(0);
  const refreshHistory = useCallback(() => setHistoryKey((k) => k + 1), []);
  const reportRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!report || !["queued", "running"].includes(report.status)) return;
    const timer = setTimeout(async () => {
      try {
        const next = await api<ImportReport>("GET", `/imports/${report.id}`);
        setReport(next);
        if (next.status === "done" || next.status === "failed") refreshHistory();
        if (next.status === "done") onDone?.();
      } catch (err) {
        setError(err instanceof ApiError ? err.message : "Suivi de l'import impossible.");
      }
    }, 500);
    return () => clearTimeout(timer);
  }, [report, onDone, refreshHistory]);

  async function upload(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (!(form.get("file") as File | null)?.size) {
      setError("Choisissez un fichier non vide.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setReport(await api<ImportReport>("POST", target.kind === "patients" ? `/campaigns/${target.campaignId}/imports` : "/rosters/imports", form));
      refreshHistory();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Envoi impossible.");
    } finally {
      setBusy(false);
    }
  }

  /** A past import's report, in the same place as the one just uploaded (and followed the same way while it runs). */
  async function open(importId: string) {
    setError(null);
    try {
      setReport(await api<ImportReport>("GET", `/imports/${importId}`));
      requestAnimationFrame(() => reportRef.current?.focus());
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Ouverture de l'import impossible.");
    }
  }

  function mapped(next: ImportReport) {
    setReport(next);
    refreshHistory();
    setMappingsKey((k) => k + 1); // the mapping may have been saved for the organisation
  }

  return (
    <section className="panel" aria-labelledby={`import-title-${target.kind}`}>
      <h2 id={`import-title-${target.kind}`}>{target.kind === "patients" ? "Importer un listing de patients" : "Importer l'annuaire des médecins"}</h2>
      <form onSubmit={upload} className="inline-form">
        <Field label={target.kind === "patients" ? "Fichier du listing" : "Fichier de l'annuaire"} hint={target.kind === "patients" ? "CSV (point-virgule, virgule ou tabulation ; Windows-1252 ou UTF-8) ou XLSX, tel que la caisse l'envoie." : "RPPS, lieu d'exercice, MSP, places pour de nouveaux patients, ALD — CSV ou XLSX."}>
          {(id, hint) => <input id={id} name="file" type="file" accept=".csv,.tsv,.txt,.xlsx" aria-describedby={hint} required />}
        </Field>
        <button type="submit" disabled={busy}>{busy ? "Envoi…" : "Importer"}</button>
      </form>
      {error && <p role="alert" className="error">{error}</p>}
      {report && (
        <div ref={reportRef} tabIndex={-1} role="region" className="import-report" aria-label={`Compte rendu de l'import ${report.fileName}`}>
          <ImportStatus key={report.id} kind={target.kind} report={report} fields={IMPORT_FIELDS[target.kind]} onMapped={mapped} />
        </div>
      )}
      <ImportHistory target={target} reloadKey={historyKey} openedId={report?.id ?? null} onOpen={open} />
      <SavedMappings kind={target.kind} reloadKey={mappingsKey} />
    </section>
  );
}

const count = (n: number) => n.toLocaleString("fr-FR");

function ImportStatus({ kind, report, fields, onMapped }: { kind: ImportTarget["kind"]; report: ImportReport; fields: [string, string][]; onMapped: (r: ImportReport) => void }) {
  const { counts, progress } = report;
  // the reader stopped at a line it could not get past (a quote never closed, a line of a million characters)
  const interrupted = report.rejected.find((r) => r.reason.startsWith("lecture interrompue"));
  const percent = report.status === "done" ? 100 : progress.estimatedLines ? Math.min(99, Math.round((progress.lastLine / progress.estimatedLines) * 100)) : undefined;
  return (
    <div className="import-status" aria-live="polite">
      <p>
        <strong>{report.fileName}</strong> — {IMPORT_STATUS_LABELS[report.status]}
        {report.detected.format === "csv" && report.detected.encoding && (
          <> · encodage {report.detected.encoding}, séparateur {DELIMITERS[report.detected.delimiter ?? ""] ?? report.detected.delimiter}</>
        )}
        {report.detected.format === "xlsx" && <> · classeur Excel{report.detected.sheet ? `, feuille « ${report.detected.sheet} »` : ""}</>}
        {report.detected.headerLine && report.detected.headerLine > 1 ? <> · en-têtes ligne {report.detected.headerLine}</> : null}
      </p>
      <FileNotes notes={report.detected.notes} />
      {(report.status === "queued" || report.status === "running" || report.status === "done") && (
        <div className="progress">
          <progress max={100} value={percent} aria-label="Avancement de l'import" />
          <span>{count(counts.rows)} {counts.rows > 1 ? "lignes traitées" : "ligne traitée"}</span>
        </div>
      )}
      {report.status === "uploaded" && report.needsMapping && <MappingForm key={`${report.id}:${report.needsMapping.headerLine}`} report={report} fields={fields} onMapped={onMapped} />}
      {report.error && <p role="alert" className="error">{report.error}</p>}
      {report.status === "done" && (
        <>
          {interrupted && (
            <p role="alert" className="error">
              Import incomplet : {interrupted.reason}. Les lignes précédentes sont importées ; corrigez le fichier et déposez-le de nouveau (les lignes déjà importées ne seront pas dupliquées).
            </p>
          )}
          <dl className="counts-grid">
            <div><dt>Lignes lues</dt><dd>{count(counts.rows)}</dd></div>
            <div><dt>{kind === "patients" ? "Nouveaux patients" : "Nouveaux médecins"}</dt><dd>{count(counts.accepted)}</dd></div>
            <div><dt>Fusionnées (doublons du fichier, {kind === "patients" ? "patients" : "médecins"} déjà connus)</dt><dd>{count(counts.merged)}</dd></div>
            <div><dt>Rejetées</dt><dd>{count(counts.rejected)}</dd></div>
            <div><dt>Ignorées (vides, totaux)</dt><dd>{count(counts.skipped)}</dd></div>
            <div><dt>Acceptées avec remarques</dt><dd>{count(counts.remarked)}</dd></div>
          </dl>
          {report.ignoredColumns.length > 0 && <IgnoredColumns columns={report.ignoredColumns} />}
          {counts.rejected > 0 && (
            <>
              {report.mayReadRows && (
                <p>
                  <a className="button" href={`/api/imports/${report.id}/rejections.csv`} download>
                    Télécharger les lignes rejetées (CSV)
                  </a>
                </p>
              )}
              <table>
                <caption>Lignes rejetées{report.rejectedTruncated ? " (premières lignes)" : ""}</caption>
                <thead><tr><th scope="col">Ligne</th><th scope="col">Motif</th></tr></thead>
                <tbody>
                  {report.rejected.slice(0, 200).map((r) => (
                    <tr key={r.line}><td>{r.line}</td><td>{r.reason}</td></tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {counts.remarked > 0 && (
            <details className="remarks">
              <summary>
                {counts.remarked.toLocaleString("fr-FR")} ligne{counts.remarked > 1 ? "s acceptées" : " acceptée"} avec une remarque : ce qui en a été écarté, et pourquoi
              </summary>
              <table>
                <caption>Lignes acceptées avec remarques{report.remarksTruncated ? ` (les ${report.remarks.length.toLocaleString("fr-FR")} premières)` : ""}</caption>
                <thead><tr><th scope="col">Ligne</th><th scope="col">Remarque</th></tr></thead>
                <tbody>
                  {report.remarks.map((r) => (
                    <tr key={r.line}><td>{r.line}</td><td>{r.remark}</td></tr>
                  ))}
                </tbody>
              </table>
            </details>
          )}
        </>
      )}
    </div>
  );
}

function IgnoredColumns({ columns }: { columns: ImportReport["ignoredColumns"] }) {
  const decisive = columns.filter((c) => c.mayDecide);
  return (
    <div className="ignored-columns">
      {decisive.length > 0 && (
        <p className="notice">
          {decisive.length > 1 ? `${decisive.length} colonnes ignorées pouvaient` : "Une colonne ignorée pouvait"} dire qui appeler :
          vérifiez-{decisive.length > 1 ? "les" : "la"} avant de lancer les appels.
        </p>
      )}
      <p>
        {columns.length > 1 ? `${columns.length} colonnes du fichier n'ont pas été importées` : "Une colonne du fichier n'a pas été importée"} :
      </p>
      <ul>
        {columns.map((c) => (
          <li key={c.column}>
            colonne {c.column} « {c.header} »{c.mayDecide && <> — <strong>{c.mayDecide}</strong></>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function MappingForm({ report, fields, onMapped }: { report: ImportReport; fields: [string, string][]; onMapped: (r: ImportReport) => void }) {
  const preview = report.needsMapping!;
  const [mapping, setMapping] = useState<Record<string, number[]>>(() =>
    Object.fromEntries(Object.entries(preview.proposal).map(([k, v]) => [k, [v].flat()])),
  );
  const [save, setSave] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const fieldOf = (col: number) => Object.entries(mapping).find(([, cols]) => cols.includes(col))?.[0] ?? "";
  const assign = (col: number, field: string) =>
    setMapping((m) => {
      const next = Object.fromEntries(Object.entries(m).map(([k, cols]) => [k, cols.filter((c) => c !== col)]));
      if (field) next[field] = field === "phones" || field === "address" ? [...(next[field] ?? []), col].sort((a, b) => a - b) : [col];
      return next;
    });
  const above = (preview.above ?? []).filter((r) => r.cells.some((c) => c.trim()));
  const headerLine = preview.headerLine;
  async function chooseHeader(line: number) {
    setError(null);
    try {
      onMapped(await api<ImportReport>("PUT", `/imports/${report.id}/header`, { line }));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Ligne d'en-tête refusée.");
    }
  }
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const body = Object.fromEntries(
      Object.entries(mapping).filter(([, cols]) => cols.length).map(([k, cols]) => [k, k === "phones" || k === "address" ? cols : cols[0]]),
    );
    try {
      onMapped(await api<ImportReport>("PUT", `/imports/${report.id}/mapping`, { mapping: body, save }));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Correspondance refusée.");
    }
  }
  return (
    <form onSubmit={submit} className="mapping">
      <h3>Vérifiez la correspondance des colonnes</h3>
      {preview.missingRequired.length > 0 && <p className="notice">Colonnes à indiquer : {preview.missingRequired.join(", ")}.</p>}
      {(preview.unsure ?? []).length > 0 && (
        <div className="notice">
          <p>À vérifier avant de lancer l'import :</p>
          <ul>{preview.unsure!.map((reason, i) => <li key={i}>{reason}</li>)}</ul>
          <p>Une colonne laissée sur « — ignorer — » ne sera pas lue.</p>
        </div>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      {headerLine !== undefined && preview.rows.length > 0 && (
        <Field label="Ligne d'en-tête" hint="la ligne qui nomme les colonnes ; les lignes au-dessus ne sont pas importées">
          {(id, hint) => (
            <select id={id} aria-describedby={hint} value={headerLine} onChange={(e) => void chooseHeader(Number(e.target.value))}>
              {[...above, { line: headerLine, cells: preview.headers }, ...preview.rows].map((r) => (
                <option key={r.line} value={r.line}>Ligne {r.line} : {r.cells.filter((c) => c.trim()).slice(0, 4).join(" | ").slice(0, 80)}</option>
              ))}
            </select>
          )}
        </Field>
      )}
      <div className="table-scroll">
        <table>
          <caption>Aperçu des premières lignes</caption>
          <thead>
            <tr>
              <th scope="col">Ligne</th>
              {preview.headers.map((h, col) => (
                <th key={col} scope="col">
                  <label>
                    <span className="header-name">{h || `Colonne ${col + 1}`}</span>
                    <select value={fieldOf(col)} onChange={(e) => assign(col, e.target.value)} aria-label={`Champ de la colonne ${h || col + 1}`}>
                      <option value="">— ignorer —</option>
                      {fields.map(([f, label]) => <option key={f} value={f}>{label}</option>)}
                    </select>
                  </label>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {above.map((r) => (
              <tr key={r.line} className="above-header"><th scope="row">{r.line}</th><td colSpan={preview.headers.length}>{r.cells.filter((c) => c.trim()).join(" ")} <small>(au-dessus de l'en-tête : non importée)</small></td></tr>
            ))}
            {preview.rows.map((r) => (
              <tr key={r.line}><th scope="row">{r.line}</th>{r.cells.map((c, i) => <td key={i}>{c}</td>)}</tr>
            ))}
          </tbody>
        </table>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={save} onChange={(e) => setSave(e.target.checked)} /> Enregistrer cette correspondance pour les prochains listings de même format
      </label>
      <button type="submit">Lancer l'import</button>
    </form>
  );
}
