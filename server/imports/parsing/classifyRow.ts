// Rows of a listing that are not records: blank rows (including rows made only of delimiters)
// and footers that spreadsheets add ("TOTAL;1234", "Total général", "Nombre de lignes : 812").
import { normaliseText } from "./normaliseText.ts";
import { isBlankRow } from "./rawRow.ts";

export type SkipKind = "empty" | "footer";

const FOOTER_START = /^(total|totaux|sous total|nombre|nb|somme|effectif|fin|extraction|genere|edite|source)\b/;

export function classifyRow(cells: readonly string[]): SkipKind | null {
  if (isBlankRow(cells)) return "empty";
  const filled = cells.map((c) => c.trim()).filter((c) => c !== "");
  if (filled.length <= 3 && filled.some((c) => FOOTER_START.test(normaliseText(c)))) return "footer";
  return null;
}
