// « Imports précédents »: the files uploaded into this campaign (or the organisation's GP roster), newest first, each
// opening its report where the upload's own report shows; older ones page by page.
import { useEffect, useState } from "react";
import { api, ApiError } from "../shared/api.ts";
import { formatDateTime, IMPORT_STATUS_LABELS, shownTimeZoneName } from "../shared/labels.ts";
import { useApi } from "../shared/useApi.ts";
import type { ImportReport, ImportTarget } from "./ImportWizard.tsx";

interface ImportListItem {
  id: string;
  fileName: string;
  status: ImportReport["status"];
  uploadedBy: string | null;
  createdAt: string;
  finishedAt: string | null;
  counts: { rows: number; accepted: number; merged: number; rejected: number };
}
interface ImportPage { items: ImportListItem[]; nextBefore: string | null }

const PAGE = 10;
/** Uploads made without a user: the demo's seed, the command line (server/cli). */
const SCRIPTED_UPLOADERS: Record<string, string> = { seed: "données de démonstration", cli: "ligne de commande" };
/** Counts mean something once the import has started reading the file. */
const counted = (status: ImportListItem["status"]) => status === "running" || status === "done" || status === "failed";

export function ImportHistory({ target, reloadKey, openedId, onOpen }: { target: ImportTarget; reloadKey: number; openedId: string | null; onOpen: (id: string) => void }) {
  const base = target.kind === "patients" ? `/campaigns/${target.campaignId}/imports` : "/rosters/imports";
  const first = useApi<ImportPage>(`${base}?limit=${PAGE}&k=${reloadKey}`);
  const [older, setOlder] = useState<ImportPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setOlder(null), [first.data]); // a refreshed first page starts the list again

  async function showOlder() {
    const before = (older ?? first.data)?.nextBefore;
    if (!before) return;
    setError(null);
    try {
      const next = await api<ImportPage>("GET", `${base}?limit=${PAGE}&before=${before}`);
      setOlder((o) => ({ items: [...(o?.items ?? []), ...next.items], nextBefore: next.nextBefore }));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Chargement des imports plus anciens impossible.");
    }
  }

  const items = [...(first.data?.items ?? []), ...(older?.items ?? [])];
  const nextBefore = older ? older.nextBefore : first.data?.nextBefore;
  const num = (item: ImportListItem, n: number) => (counted(item.status) ? n.toLocaleString("fr-FR") : "—");
  return (
    <div className="import-history">
      <h3>Imports précédents</h3>
      <p className="muted">Les plus récents d'abord ; dates et heures : {shownTimeZoneName()}.</p>
      {(first.error || error) && <p role="alert" className="error">{first.error ?? error}</p>}
      {first.data && !items.length && <p>Aucun fichier importé pour le moment.</p>}
      {items.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption className="sr-only">Imports précédents, les plus récents d'abord</caption>
            <thead>
              <tr>
                <th scope="col">Fichier</th>
                <th scope="col">Déposé le</th>
                <th scope="col">Par</th>
                <th scope="col">État</th>
                <th scope="col" className="num">Lignes lues</th>
                <th scope="col" className="num">Nouvelles</th>
                <th scope="col" className="num">Fusionnées</th>
                <th scope="col" className="num">Rejetées</th>
                <th scope="col"><span className="sr-only">Compte rendu</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((i) => (
                <tr key={i.id} aria-current={i.id === openedId ? "true" : undefined}>
                  <td>{i.fileName}</td>
                  <td className="date">{formatDateTime(i.createdAt)}</td>
                  <td>{i.uploadedBy ? SCRIPTED_UPLOADERS[i.uploadedBy] ?? i.uploadedBy : "—"}</td>
                  <td>{IMPORT_STATUS_LABELS[i.status] ?? i.status}{i.finishedAt && <small className="muted date"> le {formatDateTime(i.finishedAt)}</small>}</td>
                  <td className="num">{num(i, i.counts.rows)}</td>
                  <td className="num">{num(i, i.counts.accepted)}</td>
                  <td className="num">{num(i, i.counts.merged)}</td>
                  <td className="num">{num(i, i.counts.rejected)}</td>
                  <td>
                    <button type="button" className="secondary small" onClick={() => onOpen(i.id)}>
                      Ouvrir<span className="sr-only"> l'import {i.fileName} du {formatDateTime(i.createdAt)}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextBefore && <button type="button" className="secondary small" onClick={showOlder}>Afficher les imports plus anciens</button>}
    </div>
  );
}
