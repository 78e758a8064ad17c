// Reading the fund's answer file: which column says what (by header), and what one line says.
// Pure: the lookup of the declaration is the caller's.
import { normaliseText } from "../imports/parsing/normaliseText.ts";
import { cellOf } from "../imports/parsing/rowCells.ts";

export interface AnswerColumns {
  reference?: number;
  patient?: number;
  rpps?: number;
  status: number;
  reason?: number;
}

const SYNONYMS: Record<keyof AnswerColumns, string[]> = {
  reference: ["reference declaration", "ref declaration", "reference de la declaration", "id declaration", "identifiant declaration", "numero declaration", "reference"],
  patient: ["identifiant patient", "id patient", "identifiant", "identifiant assure", "numero assure", "num assure", "n assure", "numero patient", "num patient"],
  rpps: ["rpps medecin", "rpps", "n rpps", "numero rpps", "rpps du medecin", "rpps mt", "identifiant rpps"],
  status: ["statut", "status", "etat", "statut declaration", "resultat", "reponse", "decision"],
  reason: ["motif", "motif rejet", "motif de rejet", "motif du rejet", "raison", "libelle rejet", "cause", "commentaire"],
};

export type AnswerHeaders = { ok: true; columns: AnswerColumns } | { ok: false; reason: string };

function answerColumnsOf(headers: readonly string[]): Partial<AnswerColumns> {
  const found: Partial<AnswerColumns> = {};
  headers.forEach((header, column) => {
    const h = normaliseText(header);
    for (const field of Object.keys(SYNONYMS) as (keyof AnswerColumns)[]) {
      if (found[field] === undefined && SYNONYMS[field].includes(h)) {
        found[field] = column;
        return;
      }
    }
  });
  return found;
}

/** How many of the answer file's columns a row names: the header is the row naming most (a title may stand above). */
export const answerColumnsNamed = (cells: readonly string[]) => Object.keys(answerColumnsOf(cells)).length;

export function mapAnswerHeaders(headers: readonly string[]): AnswerHeaders {
  const found = answerColumnsOf(headers);
  const missing: string[] = [];
  if (found.status === undefined) missing.push("statut");
  if (found.reference === undefined && (found.patient === undefined || found.rpps === undefined)) {
    missing.push("reference_declaration (ou identifiant_patient et rpps_medecin)");
  }
  if (missing.length) {
    const seen = headers.map((h) => h.trim()).filter(Boolean).slice(0, 12).join(", ");
    return { ok: false, reason: `Fichier de retour de la caisse non reconnu : il manque la colonne ${missing.join(" et la colonne ")}. Colonnes lues : ${seen || "aucune"}.` };
  }
  return { ok: true, columns: found as AnswerColumns };
}

const DECLARED = new Set(["declare", "declaree", "enregistre", "enregistree", "ok", "accepte", "acceptee", "valide", "validee"]);
const REJECTED = new Set(["rejete", "rejetee", "rejet", "refuse", "refusee", "ko"]);

export type AnswerLine =
  | { ok: true; status: "declared" | "rejected"; reason: string | null; reference: string | null; patient: string | null; rpps: string | null }
  | { ok: false; reason: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseAnswerRow(cells: readonly string[], columns: AnswerColumns): AnswerLine {
  const statusCell = cellOf(cells, columns.status);
  if (!statusCell) return { ok: false, reason: "statut manquant" };
  const key = normaliseText(statusCell);
  const status = DECLARED.has(key) ? "declared" : REJECTED.has(key) ? "rejected" : null;
  if (!status) return { ok: false, reason: `statut inconnu : « ${statusCell} » (attendu déclaré, enregistré, OK, accepté, rejeté, refusé ou KO)` };
  const reference = cellOf(cells, columns.reference);
  if (reference && !UUID.test(reference)) return { ok: false, reason: `référence de déclaration invalide : « ${reference} »` };
  const patient = cellOf(cells, columns.patient);
  const rppsCell = cellOf(cells, columns.rpps);
  const rpps = rppsCell ? rppsCell.replace(/[\s.\-]/g, "").replace(/^8(\d{11})$/, "$1") : null;
  if (!reference && !(patient && rpps)) return { ok: false, reason: "ni référence de déclaration, ni identifiant patient et RPPS du médecin" };
  return { ok: true, status, reason: status === "rejected" ? cellOf(cells, columns.reason) : null, reference: reference?.toLowerCase() ?? null, patient, rpps };
}
