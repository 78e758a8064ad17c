// The one CSV writer of the product's exports: a file that opens right in a French Excel by a double-click. UTF-8
// with a BOM (without it Excel reads Windows-1252), ";" between cells (French Excel's list separator, the comma being
// the decimal one), CRLF; numbers with a decimal comma; dates as the callers write them, jj/mm/aaaa (French Excel reads
// them as the right dates).
//
// Codes made of digits. Opening a CSV, Excel types every cell, quoted or not: the INSEE code 01053 becomes the number
// 1053, +33612345678 becomes 33612345678, a fund identifier 00123 becomes 123, 12 digits and more show in scientific
// notation and 16 and more are rounded; saved back, the file has lost them for good. What was weighed:
// - the values as they are, with a README telling to import the file as text (Données › À partir d'un fichier
//   texte/CSV): what data publishers do (INSEE, La Poste's postal codes, data.gouv.fr's guides), right for files read
//   by programs; but coordinators open these downloads with a double-click, and the loss is silent;
// - a leading apostrophe: only a typing convention, Excel shows it in a CSV, and every program reads it as data;
// - an invisible character (zero-width space, tab): Excel keeps text, but the value then differs invisibly for every
//   other reader — the worst of both;
// - ="01053": a formula giving the text 01053. Excel and Google Sheets show 01053, as text, and save it back as 01053
//   (LibreOffice too when its CSV import evaluates formulas). A program sees the wrapper, which one stated rule removes:
//   a cell ="…" is the text between the quotes.
// Chosen: ="…", on those cells only — text Excel would read as a number (digits, with a sign, a decimal separator or
// an exponent), or as a sum of numbers (« +33612345678 +33698765432 », a patient's phones). Every other cell is written as it is, numbers the export means as numbers are given as numbers and
// stay numbers, so the file is still read cell by cell by any CSV reader. Where a program is the reader, the product
// gives it exact values: the patients export in JSON, and files for software (the declarations file for the fund,
// `readBy: "software"`), written without the wrapper. README, « Exports CSV ».
import { stringify, type Stringifier } from "csv-stringify";
import type { Writable } from "node:stream";

/** Who opens the file: Excel (the default: what people download), or the software of its recipient (exact values). */
export interface CsvOptions { readBy?: "excel" | "software" }

/** Text Excel would turn into a number when it opens a CSV: numbers, or numbers separated by spaces (it adds up
 * « +33612345678 +33698765432 », reads « 1 000 » as a thousand). */
const NUMBER_TO_EXCEL = /^[+-]?\d+([.,]\d+)?([eE][+-]?\d+)?( +[+-]?\d+([.,]\d+)?)*$/;
/** Excel's limit for a text inside a formula. */
const FORMULA_TEXT_MAX = 255;

export function frenchCsv(out: Writable, header: string[], options: CsvOptions = {}): Stringifier {
  out.write("\uFEFF");
  const forExcel = (options.readBy ?? "excel") === "excel";
  const s = stringify({
    delimiter: ";", record_delimiter: "windows", header: true, columns: header.map((h, i) => ({ key: String(i), header: h })),
    cast: {
      string: (value, context) => (context.header ? value : forExcel ? keptAsText(value) : inertCell(value)),
      number: (value) => String(value).replace(".", ","),
    },
  });
  s.pipe(out, { end: false });
  return s;
}

/** A cell for Excel: a text it would turn into a number written so that it stays that text (see the head of this
 * file), one it would run as a formula made inert, anything else as it is. */
export function keptAsText(cell: string): string {
  return NUMBER_TO_EXCEL.test(cell) && cell.length <= FORMULA_TEXT_MAX ? `="${cell}"` : inertCell(cell);
}

/** A text Excel would run as a formula (« =HYPERLINK(…) » typed as a name in a listing or a user's name) is written
 * behind an apostrophe, which makes it text (CSV injection); signed numbers (« +33612345678 », « -2 ») stay as they are. */
export function inertCell(cell: string): string {
  return /^[=@\t\r]/.test(cell) || /^[+-](?![\d\s.,]*$)/.test(cell) ? `'${cell}` : cell;
}

/** Writes one record, waiting when the client reads slowly (backpressure). Text stays text, numbers stay numbers. */
export async function writeRecord(s: Stringifier, cells: (string | number | null | undefined)[]) {
  if (!s.write(Object.fromEntries(cells.map((c, i) => [String(i), c ?? ""])))) {
    await new Promise((resolve) => s.once("drain", resolve));
  }
}

/** Flushes the CSV; the caller ends `out` (stdout must not be ended). */
export function endCsv(s: Stringifier): Promise<void> {
  return new Promise((resolve, reject) => {
    s.once("end", resolve);
    s.once("error", reject);
    s.end();
  });
}
