// What detection decided about the shape of a listing that a coordinator must be able to read afterwards, in French:
// the « sep=; » line, the lines above the header, the worksheet read and the ones left aside. Every line of the file is
// then accounted for: imported, rejected (with its line), skipped (counts.skipped), or named here.
import { HEADER_SEARCH_ROWS, linesAboveHeader } from "./parsing/findHeader.ts";
import type { SheetInfo } from "./parsing/rawRow.ts";

/** A worksheet not imported, and whether its first rows had a recognisable header. */
export interface OtherSheet {
  name: string;
  hasHeader: boolean;
  /** Hidden in Excel: never read as the listing. */
  hidden?: true;
}

/** A sheet looked at and not imported, as the import keeps it. */
export const otherSheet = (sheet: SheetInfo, hasHeader: boolean): OtherSheet => ({ name: sheet.name, hasHeader, ...(sheet.hidden && { hidden: true as const }) });

export interface DetectedShape {
  format: string | null;
  delimiter: string | null;
  delimiterDeclared: boolean;
  headerLine: number;
  sheetIndex: number | null;
  sheetName: string | null;
  otherSheets: unknown;
}

const DELIMITER_NAMES: Record<string, string> = { ";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale" };

export function detectionNotes(imp: DetectedShape): string[] {
  const notes: string[] = [];
  if (imp.delimiterDeclared && imp.delimiter) {
    const shown = imp.delimiter === "\t" ? "\\t" : imp.delimiter;
    notes.push(`Ligne 1 : « sep=${shown} » déclare le séparateur (${DELIMITER_NAMES[imp.delimiter] ?? imp.delimiter}), comme Excel l'écrit ; ce n'est pas une ligne du listing.`);
  }
  const firstLine = imp.delimiterDeclared ? 2 : 1;
  const onSheet = imp.sheetName && imp.sheetIndex ? ` de la feuille « ${imp.sheetName} »` : "";
  if (imp.headerLine > firstLine) {
    const { lines, plural } = linesAboveHeader(firstLine, imp.headerLine);
    notes.push(`En-tête trouvé ligne ${imp.headerLine}${onSheet} : ${lines}, au-dessus, ${plural ? "ne sont pas importées" : "n'est pas importée"} (un titre, des lignes vides : pas des lignes du listing).`);
  }
  const others = Array.isArray(imp.otherSheets) ? (imp.otherSheets as OtherSheet[]) : [];
  if (imp.sheetName && (imp.sheetIndex || others.length)) {
    notes.push(`Feuille importée : « ${imp.sheetName} »${imp.sheetIndex ? `, la ${ordinal(imp.sheetIndex + 1)} du classeur` : ", la première du classeur"}.`);
  }
  const hidden = others.filter((s) => s.hidden).map((s) => `« ${s.name} »`);
  if (hidden.length) {
    notes.push(`${hidden.length > 1 ? `Feuilles masquées ${hidden.join(", ")} non importées` : `Feuille masquée ${hidden[0]} non importée`} : une feuille masquée dans Excel (listes, calculs) n'est pas lue comme un listing ; affichez-la et importez-la à part si elle en est un.`);
  }
  const without = others.filter((s) => !s.hasHeader && !s.hidden).map((s) => `« ${s.name} »`);
  if (without.length) {
    notes.push(`${without.length > 1 ? `Feuilles ${without.join(", ")} non importées` : `Feuille ${without[0]} non importée`} : pas de ligne d'en-tête reconnue dans les ${HEADER_SEARCH_ROWS} premières lignes.`);
  }
  for (const s of others.filter((o) => o.hasHeader)) {
    notes.push(`La feuille « ${s.name} » a aussi une ligne d'en-tête reconnue : elle n'est pas importée, seule la première feuille qui en a une (« ${imp.sheetName} ») l'est ; importez-la à part si elle doit l'être.`);
  }
  return notes;
}

function ordinal(n: number): string {
  return n === 1 ? "1re" : `${n}e`;
}
