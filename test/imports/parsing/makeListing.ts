// Writes the listings funds actually send, with their traps, into a temp directory:
// cpam (";", Windows-1252, CRLF), msa (",", UTF-8 with BOM), cpts (tab, UTF-8, LF), and an
// XLSX. Each returns the path and the line number (as a text editor or Excel shows it) of
// every named record, counted from the bytes written.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";

export interface Listing {
  path: string;
  /** Line of each named record; the header is line 1. */
  lines: Record<string, number>;
  /** Physical lines in the file (a final line break does not start a new line). */
  physicalLines: number;
}

type Record_ = [name: string, cells: string[]] | [name: string, raw: string];

export function makeTempDir(): string {
  return mkdtempSync(join(tmpdir(), "omt-listing-"));
}

// Luhn-valid RPPS and mod-97-valid NIRs (synthetic).
export const RPPS_OK = "10000000017";
export const NIR_PARIS = "150037511504282";
export const NIR_CORSE = "252042A00412355";

export function writeCpamListing(dir: string): Listing {
  const header = [
    "IDENTIFIANT", "NOM", "PRENOM", "DATE_NAISSANCE", "SEXE", "ADRESSE", "CP", "COMMUNE", "CODE_INSEE",
    "TEL_PORTABLE", "TEL_FIXE", "ALD", "CSS", "NIR", "RPPS_MEDECIN_CONSULTE", "NB_CONSULTATIONS",
  ];
  const records: Record_[] = [
    ["coeur", ["C001", "CŒUR", "Lœtitia", "12/03/1950", "F", "12 rue de l’Église", "75015", "PARIS", "75115", "06 12 34 56 78", "01 45 67 89 10", "O", "N", NIR_PARIS, RPPS_OK, "4"]],
    ["multiline", ["C002", "DURAND", "Paul", "01/01/1940", "M", "Résidence Les Pins; bât. B\r\n3 allée des Chênes\r\n(2e étage)", "01000", "BOURG EN BRESSE", "", "06.11.22.33.44", "", "Oui", "Non", "", "", ""]],
    ["afterMultiline", ["C003", "MARTIN", "Zoé", "5/3/48", "F", "", "", "", "1053", "0612345679 / 04 74 12 34 56", "", "1", "0", "", "", ""]],
    ["reunion", ["C004", "PAYET", "Jean-Marc", "23/07/1961", "M", "", "", "", "97411", "0692 12 34 56", "0262 21 23 45", "O", "O", "", "", ""]],
    ["corsica", ["C005", "d'Ornano", "Marie", "02/02/1952", "F", "", "", "", "2A004", "+33 6 98 76 54 32", "", "O", "N", NIR_CORSE, "", ""]],
    ["noValidPhone", ["C006", "PETIT", "Luc", "11/11/1955", "M", "", "", "", "01053", "06 12 34", "", "O", "N", "", "", ""]],
    ["oneBadPhone", ["C007", "ROUX", "Anne", "10/10/1945", "F", "", "", "", "01053", "06 12 34", "04 74 99 88 77", "O", "N", "", "", ""]],
    ["badDate", ["C008", "FAURE", "Léa", "31/02/1950", "F", "", "", "", "01053", "06 12 34 56 70", "", "O", "N", "", "", ""]],
    ["duplicateA", ["C009", "BLANC", "Éric", "03/04/1950", "M", "", "", "", "01053", "06 12 34 56 71", "", "O", "N", "", "", ""]],
    ["duplicateB", ["C009", "BLANC", "Éric", "03/04/1950", "M", "", "", "", "01053", "06 12 34 56 71", "", "O", "N", "", "", ""]],
    ["delimitersOnly", ";".repeat(header.length - 1)],
    ["emptyLine", ""],
    ["guadeloupe", ["C010", "LAMBERT", "Rose", "14/07/1939", "F", "", "97100", "", "97101", "0690 12 34 56", "", "O", "N", "", "", ""]],
    ["footer", "TOTAL;1234"],
  ];
  const text = serialise(header, records, ";", "\r\n");
  const path = join(dir, "cpam.csv");
  writeFileSync(path, iconv.encode(text.text, "windows-1252"));
  return { path, lines: text.lines, physicalLines: text.physicalLines };
}

export function writeMsaListing(dir: string): Listing {
  const header = ["num_assure", "Nom de naissance", "Prénom", "Date de naissance", "Téléphone 2", "mobile", "insee", "ALD", "C2S", "N° sécu"];
  const records: Record_[] = [
    ["plus33", ["M001", "GARNIER", "Noël", "1948-07-14", "", "+33 6 12 34 56 78", "01053", "Oui", "Non", ""]],
    ["double00", ["M002", "BONNET", "Œdipe", "1950-01-31", "", "0033 6 98 76 54 31", "01053", "Non", "Oui", ""]],
    ["lost00", ["M003", "DUPONT, dit Jojo", "René", "1947-12-01", "04 74 00 00 01", "33612345670", "01053", "Oui", "Non", ""]],
    ["martinique", ["M004", "LOUIS", "Fabienne", "1960-05-22", "0596 60 12 34", "0696 12 34 56", "97209", "Oui", "Oui", ""]],
    ["guyane", ["M005", "HO", "Sam", "1970-06-10", "", "0694 20 12 34", "97302", "Non", "Non", ""]],
    ["garbageFlag", ["M006", "COLIN", "Marc", "1944-02-29", "", "06 12 34 56 72", "01053", "peut-être", "Non", "1500375115042"]],
    ["mayotte", ["M007", "SAID", "Ali", "1958-08-08", "", "0639 01 23 45", "97611", "Oui", "Oui", ""]],
  ];
  const text = serialise(header, records, ",", "\n");
  const path = join(dir, "msa.csv");
  writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.text, "utf8")]));
  return { path, lines: text.lines, physicalLines: text.physicalLines };
}

export function writeCptsListing(dir: string): Listing {
  const header = ["nom", "prenom", "ddn", "mobile", "TEL_FIXE", "CP", "COMMUNE", "ald", "css", "consentement"];
  const records: Record_[] = [
    ["nineDigits", ["MOREAU", "Julie", "3/4/52", "6 12 34 56 78", "", "42000", "ST ETIENNE", "X", "", "Oui"]],
    ["dots", ["SIMON", "Hugo", "15/09/1949", "06.12.34.56.73", "", "76600", "HAVRE (LE)", "VRAI", "FAUX", ""]],
    ["ambiguousPostalCode", ["MICHEL", "Eva", "01/01/1950", "06 12 34 56 74", "", "01300", "", "X", "", ""]],
    ["twoWithOu", ["LEROY", "Tom", "02/02/1950", "06 11 11 11 11 ou 06 22 22 22 22", "", "01000", "Bourg-en-Bresse", "", "X", ""]],
    ["semicolonInQuotes", ["DAVID", "Inès", "07/07/1957", "06 33 33 33 33;06 44 44 44 44", "", "1000", "Bourg-en-Bresse", "X", "", ""]],
    ["unknownCommune", ["BERTRAND", "Léo", "08/08/1958", "06 12 34 56 75", "", "01000", "Atlantide", "X", "", ""]],
    ["tabInQuotes", ["NOËL", "Ève", "09/09/1959", "06 12 34 56 76", "", "01000", "Bourg-en-Bresse", "X", "", "commentaire\tavec tabulation"]],
    ["footer", "Total général\t7"],
  ];
  const text = serialise(header, records, "\t", "\n");
  const path = join(dir, "cpts.tsv");
  writeFileSync(path, Buffer.from(text.text, "utf8"));
  return { path, lines: text.lines, physicalLines: text.physicalLines };
}

/** XLSX: `lines` are Excel row numbers; row 5 is left out on purpose (a gap). */
export async function writeXlsxListing(dir: string): Promise<Listing> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Patients");
  sheet.getRow(1).values = ["IDENTIFIANT", "NOM", "PRENOM", "DATE_NAISSANCE", "TEL_PORTABLE", "CODE_INSEE", "ALD", "CSS", "NIR"];
  const dateRow = sheet.getRow(2);
  dateRow.values = ["X001", "LEFÈVRE", "Œlia", new Date(Date.UTC(1950, 2, 12)), 612345678, 1053, true, false, 150037511504282];
  dateRow.getCell(4).numFmt = "dd/mm/yyyy";
  sheet.getRow(3).values = ["X002", { richText: [{ text: "VAN " }, { text: "DAMME", font: { bold: true } }] }, "Jean", 18334, "0692 12 34 56", "97411", "Oui", "Non", ""];
  sheet.getRow(4).values = ["X003", "SANS", "Numéro", "12/12/1950", "", "01053", "O", "N", ""];
  sheet.getRow(6).values = ["X004", "FORMULE", "Ida", { formula: "DATE(1951,4,1)", result: new Date(Date.UTC(1951, 3, 1)) }, "+33 6 12 34 56 77", "2B033", "1", "0", ""];
  sheet.getRow(6).getCell(4).numFmt = "dd/mm/yyyy";
  sheet.getRow(7).values = ["TOTAL", 4];
  const path = join(dir, "listing.xlsx");
  await workbook.xlsx.writeFile(path);
  return { path, lines: { withDate: 2, serialAndRichText: 3, noPhone: 4, formula: 6, footer: 7 }, physicalLines: 7 };
}

/** The shapes funds' tools give a CSV listing: Excel's « sep=; » first line, a title block above the header. */
export interface CsvShape {
  encoding: "windows-1252" | "utf-8-bom";
  delimiter: ";" | "," | "\t";
  eol: "\r\n" | "\n";
  /** Excel's delimiter declaration as line 1 (« sep=; »). */
  sepLine?: boolean;
  /** Lines written as they are above the header (a title, a date, blank lines). */
  above?: string[];
}

/** The listing's own rows, below its header, in every shape. */
export const SHAPED_HEADER = ["NOM", "PRENOM", "DATE_NAISSANCE", "TEL_PORTABLE", "CODE_INSEE", "ALD", "CSS"];
const SHAPED_RECORDS: [name: string, cells: string[]][] = [
  ["dupont", ["DUPONT", "Marie", "12/12/1950", "06 12 34 56 78", "01053", "O", "N"]],
  ["sixDigitDate", ["MARTIN", "Zoé", "150352", "06 12 34 56 79", "01053", "O", "N"]],
  ["badPhone", ["DURAND", "Paul", "01/01/1940", "06 12 34", "01053", "O", "N"]],
  ["blank", []],
  ["lefevre", ["LEFÈVRE", "Œlia", "03/04/1948", "+33 6 12 34 56 77", "01053", "N", "O"]],
  ["footer", ["TOTAL", "4"]],
];
/** Of SHAPED_RECORDS: accepted, rejected (in line order) and skipped (blank, footer). */
export const SHAPED_COUNTS = { rows: 4, accepted: 2, rejected: 2, skipped: 2 };

/** SHAPED_RECORDS as a CSV of the given shape; `headerLine` and `lines` as a text editor shows them. */
export function writeShapedCsv(dir: string, name: string, shape: CsvShape): Listing & { headerLine: number } {
  const before = [...(shape.sepLine ? [`sep=${shape.delimiter}`] : []), ...(shape.above ?? [])];
  const records: Record_[] = SHAPED_RECORDS.map(([n, cells]) => (cells.length ? [n, cells] : [n, ""]));
  const text = serialise(SHAPED_HEADER, records, shape.delimiter, shape.eol, before);
  const path = join(dir, name);
  writeFileSync(path, shape.encoding === "windows-1252" ? iconv.encode(text.text, "windows-1252") : Buffer.from(`\ufeff${text.text}`, "utf8"));
  return { path, lines: text.lines, physicalLines: text.physicalLines, headerLine: before.length + 1 };
}

/** A worksheet: rows put at their Excel row number (rows left out stay absent), an optional merged range. */
export interface SheetSpec {
  name: string;
  rows: { at: number; cells: ExcelJS.CellValue[] }[];
  merge?: string;
  /** Hidden in Excel (a template's lists). */
  hidden?: boolean;
}

/** The listing's sheet: a title (merged over the header's width, as a cover row) above the header at `headerAt`. */
export function shapedSheet(name: string, { headerAt = 1, title }: { headerAt?: number; title?: string } = {}): SheetSpec & { lines: Record<string, number> } {
  const rows: SheetSpec["rows"] = title ? [{ at: 1, cells: [title] }] : [];
  rows.push({ at: headerAt, cells: SHAPED_HEADER });
  const lines: Record<string, number> = {};
  SHAPED_RECORDS.forEach(([n, cells], i) => {
    lines[n] = headerAt + 1 + i;
    rows.push({ at: headerAt + 1 + i, cells: cells.length ? cells : [""] }); // a blank row: one empty cell
  });
  return { name, rows, merge: title ? "A1:G1" : undefined, lines };
}

/** A notice sheet, as funds put first: a few lines of text, one cell each. */
export function noticeSheet(name = "Notice"): SheetSpec {
  return {
    name,
    rows: [
      { at: 1, cells: ["Lisez-moi"] },
      { at: 3, cells: ["Ce classeur contient les patients en ALD sans médecin traitant du département."] },
      { at: 4, cells: ["Colonne NOM : nom d'usage du patient", "voir la feuille suivante"] },
    ],
  };
}

export async function writeWorkbook(dir: string, name: string, sheets: SheetSpec[]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  for (const spec of sheets) {
    const sheet = workbook.addWorksheet(spec.name, { state: spec.hidden ? "hidden" : "visible" });
    for (const { at, cells } of spec.rows) sheet.getRow(at).values = cells;
    if (spec.merge) sheet.mergeCells(spec.merge);
  }
  const path = join(dir, name);
  await workbook.xlsx.writeFile(path);
  return path;
}

/** CSV text with the editor line of each record, counted on the text itself; `before`: lines above the header. */
function serialise(header: string[], records: Record_[], delimiter: string, eol: string, before: string[] = []) {
  const parts = [header.map((c) => quote(c, delimiter)).join(delimiter)];
  const lines: Record<string, number> = {};
  let text = before.map((l) => l + eol).join("") + parts[0] + eol;
  for (const [name, cells] of records) {
    lines[name] = countLineBreaks(text) + 1;
    text += (typeof cells === "string" ? cells : cells.map((c) => quote(c, delimiter)).join(delimiter)) + eol;
  }
  return { text, lines, physicalLines: countLineBreaks(text) };
}

function quote(cell: string, delimiter: string): string {
  return /["\r\n]/.test(cell) || cell.includes(delimiter) || (delimiter !== ";" && cell.includes(";"))
    ? `"${cell.replace(/"/g, '""')}"`
    : cell;
}

export function countLineBreaks(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}
