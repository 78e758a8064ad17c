// Reads a small uploaded table (a fund's answer file, an opposition register) into memory with the
// listing readers (readRows: encodings, delimiters, XLSX), for files applied in one transaction.
// A file that cannot be a table (empty, unreadable, over the upload limit) is a clear 400/413.
import { Readable, Transform } from "node:stream";
import { env } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { classifyRow } from "./classifyRow.ts";
import { readRows, type RawRow } from "./readRows.ts";

export interface Table {
  headers: string[];
  /** Data rows (blank rows and footers left out), with the line a text editor shows (header = line 1 when it is the first line). */
  rows: RawRow[];
  /** Set when the reader stopped before the end of the file: the rows after it were not read. */
  readError: { line: number; reason: string } | null;
}

export const MAX_TABLE_ROWS = 200_000;

export async function readTable(file: Readable, maxRows = MAX_TABLE_ROWS): Promise<Table> {
  const limit = env().UPLOAD_LIMIT_MB * 1024 * 1024;
  let size = 0;
  const counted = file.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > limit) done(new AppError("file_too_large", 413, `Fichier trop volumineux : la limite est de ${env().UPLOAD_LIMIT_MB} Mo (UPLOAD_LIMIT_MB).`));
        else done(null, chunk);
      },
    }),
  );
  counted.on("error", () => file.resume());
  let headers: string[] | null = null;
  const rows: RawRow[] = [];
  let readError: Table["readError"] = null;
  for await (const row of readRows(counted)) {
    if (row.error) {
      readError = { line: row.line, reason: row.error };
      break;
    }
    if (!headers) {
      headers = row.cells;
      continue;
    }
    if (classifyRow(row.cells)) continue;
    if (rows.length >= maxRows) throw new AppError("too_many_rows", 400, `Fichier trop long : au plus ${maxRows} lignes par fichier.`);
    rows.push(row);
  }
  if (!headers) {
    // the reader's reason says it already (« fichier illisible : … »): capitalised, not repeated
    if (readError) throw new AppError("unreadable_file", 400, `${readError.reason.replace(/^fichier illisible : /, "Fichier illisible : ").replace(/^(?!Fichier illisible)/, "Fichier illisible : ")}.`);
    throw new AppError("empty_file", 400, "Le fichier est vide : une ligne d'en-tête est attendue.");
  }
  return { headers, rows, readError };
}
