// Reads a small uploaded table (a fund's answer file, an opposition register) into memory with the
// listing readers (readRows: encodings, delimiters, XLSX) and the listings' header search (findHeader), for files
// applied in one transaction.
// A file that cannot be a table (empty, unreadable, over the upload limit) is a clear 400/413.
import { Readable, Transform } from "node:stream";
import { env } from "../../env.ts";
import { AppError } from "../../errors.ts";
import { classifyRow } from "./classifyRow.ts";
import { findHeader, HEADER_SEARCH_ROWS, linesAboveHeader, type HeaderScore } from "./findHeader.ts";
import { readRows, type RawRow } from "./readRows.ts";

export interface Table {
  headers: string[];
  /** Data rows (blank rows and footers left out), with the line a text editor shows (header = line 1 when it is the first line). */
  rows: RawRow[];
  /** Set when the reader stopped before the end of the file: the rows after it were not read. */
  readError: { line: number; reason: string } | null;
  /** What was not read as the table, in French, for the report: the lines above the header, the sheets left aside. */
  notes: string[];
}

export const MAX_TABLE_ROWS = 200_000;

/**
 * The table of an uploaded file, read as funds write them (an Excel « sep=; » line, a title and blank lines above the
 * header, a workbook opening on a notice sheet): the header is, on the first sheet that has one, the row among its first
 * rows naming the most columns `headerScore` knows (findHeader); when no row names two, the first row, as before.
 */
export async function readTable(file: Readable, headerScore: HeaderScore, maxRows = MAX_TABLE_ROWS): Promise<Table> {
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
  // A table is small (it is applied in one transaction): every sheet is read, then the one with the header chosen.
  const sheets: RawRow[][] = [];
  let readError: Table["readError"] = null;
  let rowCount = 0;
  for await (const row of readRows(counted, { allSheets: true })) {
    if (row.error) {
      readError = { line: row.line, reason: row.error };
      break;
    }
    const index = row.sheet?.index ?? 0;
    (sheets[index] ??= []).push(row);
    if (++rowCount > 2 * maxRows + HEADER_SEARCH_ROWS) throw tooManyRows(maxRows); // blank lines and footers come off below
  }
  const sheetsRead = sheets.filter(Boolean);
  // a hidden sheet (a template's lists) is never the table
  const visible = sheetsRead.filter((rows) => !rows[0].sheet?.hidden);
  const found = visible.map((rows) => ({ rows, header: findHeader(rows, headerScore) })).find((s) => s.header);
  const sheetRows = found?.rows ?? visible[0] ?? sheetsRead[0];
  if (!sheetRows?.length) {
    // the reader's reason says it already (« fichier illisible : … »): capitalised, not repeated
    if (readError) throw new AppError("unreadable_file", 400, `${readError.reason.replace(/^fichier illisible : /, "Fichier illisible : ").replace(/^(?!Fichier illisible)/, "Fichier illisible : ")}.`);
    throw new AppError("empty_file", 400, "Le fichier est vide : une ligne d'en-tête est attendue.");
  }
  const at = found?.header?.index ?? 0;
  const headerRow = sheetRows[at];
  const data = sheetRows.slice(at + 1).filter((row) => !classifyRow(row.cells));
  if (data.length > maxRows) throw tooManyRows(maxRows);
  return { headers: headerRow.cells, rows: data, readError, notes: notesOf(sheetsRead, sheetRows, headerRow, Boolean(found)) };
}

/** `sheetRows`: the rows of the sheet read, of `sheets` all those of the file; `recognised`: the header was found, not taken. */
function notesOf(sheets: RawRow[][], sheetRows: RawRow[], header: RawRow, recognised: boolean): string[] {
  const notes: string[] = [];
  const sheet = header.sheet;
  const onSheet = sheet && sheets.length > 1 ? ` de la feuille « ${sheet.name} »` : "";
  const first = sheetRows[0].line;
  if (header.line > first) {
    const { lines, plural } = linesAboveHeader(first, header.line);
    notes.push(`En-tête trouvé ligne ${header.line}${onSheet} : ${lines}, au-dessus, ${plural ? "ne sont pas lues" : "n'est pas lue"} (un titre, des lignes vides).`);
  }
  const others = sheets.filter((rows) => rows !== sheetRows).map((rows) => `« ${rows[0].sheet?.name ?? ""} »${rows[0].sheet?.hidden ? " (masquée)" : ""}`);
  if (sheet && others.length) {
    notes.push(`Feuille lue : « ${sheet.name} » ; ${others.length > 1 ? `feuilles ${others.join(", ")} non lues` : `feuille ${others[0]} non lue`} (${recognised ? "seule la première feuille visible qui a une ligne d'en-tête reconnue l'est" : "aucune feuille n'a de ligne d'en-tête reconnue : la première ligne de la première feuille visible est prise pour l'en-tête"}).`);
  }
  return notes;
}

const tooManyRows = (maxRows: number) => new AppError("too_many_rows", 400, `Fichier trop long : au plus ${maxRows} lignes par fichier.`);
