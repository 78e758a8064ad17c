// CSV that opens correctly in a French Excel: UTF-8 with BOM, ";" separators, CRLF.
import { stringify, type Stringifier } from "csv-stringify";
import type { Writable } from "node:stream";

export function frenchCsv(out: Writable, header: string[]): Stringifier {
  out.write("\uFEFF");
  const s = stringify({ delimiter: ";", record_delimiter: "windows", header: true, columns: header.map((h, i) => ({ key: String(i), header: h })) });
  s.pipe(out, { end: false });
  return s;
}

/** A text Excel would run as a formula (« =HYPERLINK(…) » typed as a name in a listing or a user's name) is written
 * behind an apostrophe, which makes it text (CSV injection); signed numbers (« +33612345678 », « -2 ») stay as they are. */
export function inertCell(cell: string): string {
  return /^[=@\t\r]/.test(cell) || /^[+-](?![\d\s.,]*$)/.test(cell) ? `'${cell}` : cell;
}

/** Writes one record, waiting when the client reads slowly (backpressure). */
export async function writeRecord(s: Stringifier, cells: (string | number | null | undefined)[]) {
  if (!s.write(Object.fromEntries(cells.map((c, i) => [String(i), typeof c === "string" ? inertCell(c) : c ?? ""])))) {
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
