// « Correspondances enregistrées »: the organisation's saved column mappings, as the import applies them (a file with
// the same headers, case, accents and punctuation aside, is read with one of them and runs without asking), and the
// coordinator's way to delete one (after a confirmation).
import { useState } from "react";
import { api } from "../shared/api.ts";
import { formatDateTime } from "../shared/labels.ts";
import { useAction } from "../shared/useAction.ts";
import { useApi } from "../shared/useApi.ts";
import { fieldLabel, type ImportKind } from "./importFields.ts";

interface SavedMapping {
  id: string;
  fileName: string;
  createdAt: string;
  savedAt: string;
  savedBy: string | null;
  columns: { column: number; header: string; field: string | null }[];
}

export function SavedMappings({ kind, reloadKey }: { kind: ImportKind; reloadKey: number }) {
  const { data, error, reload } = useApi<SavedMapping[]>(`/import-mappings?kind=${kind}&k=${reloadKey}`);
  const [confirming, setConfirming] = useState<SavedMapping | null>(null);
  const deletion = useAction();

  const remove = (m: SavedMapping) =>
    deletion.run(async () => {
      setConfirming(null);
      await api("DELETE", `/import-mappings/${m.id}`);
      reload();
      return `Correspondance de « ${m.fileName} » supprimée : le prochain fichier avec ces en-têtes sera détecté à nouveau.`;
    }, "Suppression impossible.");

  const header = (c: SavedMapping["columns"][number]) => (c.header ? `« ${c.header} »` : `colonne ${c.column} (sans en-tête)`);
  return (
    <div className="saved-mappings">
      <h3>Correspondances enregistrées</h3>
      {data && data.length > 0 && (
        <p className="muted">
          Enregistrées pour l'organisation : un fichier dont les en-têtes sont exactement ceux-ci (majuscules, accents et ponctuation
          mis à part){kind === "patients" ? ", dans toute campagne," : ""} est lu avec la correspondance et importé sans question.
        </p>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      {deletion.failure && <p role="alert" className="error">{deletion.failure}</p>}
      {deletion.message && <p role="status" className="notice">{deletion.message}</p>}
      {data && !data.length && (
        <p className="muted">
          Aucune correspondance enregistrée. En vérifiant les colonnes d'un fichier, cochez « Enregistrer cette correspondance » : les
          fichiers suivants de mêmes en-têtes s'importeront sans question.
        </p>
      )}
      {data && data.length > 0 && (
        <ul className="mappings">
          {data.map((m) => {
            const ignored = m.columns.filter((c) => !c.field);
            return (
              <li key={m.id}>
                <p>
                  <strong>{m.fileName}</strong> <small className="muted">— enregistrée le {formatDateTime(m.savedAt)}{m.savedBy ? ` par ${m.savedBy}` : ""}</small>{" "}
                  {confirming?.id !== m.id && (
                    <button type="button" className="secondary small" onClick={() => setConfirming(m)}>
                      Supprimer<span className="sr-only"> la correspondance de {m.fileName}</span>
                    </button>
                  )}
                </p>
                <ul className="mapping-columns" aria-label={`Colonnes de la correspondance de ${m.fileName}`}>
                  {m.columns.filter((c) => c.field).map((c) => (
                    <li key={c.column}>{header(c)} → {fieldLabel(kind, c.field!)}</li>
                  ))}
                </ul>
                {ignored.length > 0 && <p className="muted">Ignorées : {ignored.map(header).join(", ")}.</p>}
                {confirming?.id === m.id && (
                  <div role="alertdialog" aria-labelledby={`delete-${m.id}-title`} aria-describedby={`delete-${m.id}-text`} className="confirm">
                    <p id={`delete-${m.id}-title`}><strong>Supprimer la correspondance de « {m.fileName} » ?</strong></p>
                    <p id={`delete-${m.id}-text`}>
                      Le prochain fichier avec ces en-têtes ne sera plus importé d'office : la détection décidera de nouveau et, si elle hésite,
                      l'import attendra votre correspondance. Les imports déjà faits ne changent pas.
                    </p>
                    <div className="inline-form">
                      <button type="button" className="danger" onClick={() => remove(m)}>Supprimer la correspondance</button>
                      <button type="button" className="secondary" autoFocus onClick={() => setConfirming(null)}>Annuler</button>
                    </div>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
