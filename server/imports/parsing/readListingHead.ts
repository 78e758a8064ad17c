// The head of a listing, read before the import runs: its format, the worksheet and the header row to read, and the
// first rows below the header for the preview. Only a head is read: a few dozen rows, and in a workbook the sheets up to
// the first one with a recognisable header (sheets after it are looked at by the import, once it has read its sheet).
import type { Readable } from "node:stream";
import { findSheetWithHeader, HEADER_SEARCH_ROWS, recognisedColumns } from "./findHeader.ts";
import { isBlankRow } from "./rawRow.ts";
import type { ListingKind } from "./mapHeaders.ts";
import { readRows, type ListingFormat, type RawRow, type SheetInfo } from "./readRows.ts";

export interface ListingHead {
  format: ListingFormat | undefined;
  /** The header row; null when the file has no readable row (see readError). */
  header: RawRow | null;
  /** Columns the header names that mapHeaders knows; 0 when no row of the head had enough of them: the first row of
   * the (first) sheet is then the header, for the coordinator to map. */
  recognised: number;
  /** The rows read above the header (a title, a date; blank rows after the first non-blank one). */
  above: RawRow[];
  /** Rows below the header, up to `previewRows` + 1 (one more tells that the listing goes on). */
  below: RawRow[];
  /** The listing (its sheet) ended within `below`. */
  ended: boolean;
  /** Why the reader stopped before `below` was full (a damaged file), or null. */
  readError: string | null;
  /** XLSX: the worksheet to read; null for a CSV. */
  sheet: SheetInfo | null;
  /** XLSX: the worksheets looked at and left aside, without a recognisable header in their first rows (all of them,
   * the first one included, when none had one). */
  sheetsWithoutHeader: SheetInfo[];
}

/** `headerLine`: the coordinator's choice of header, a line of the head's sheet (the rows above it then are not imported). */
export async function readListingHead(input: Readable, kind: ListingKind, previewRows: number, { headerLine }: { headerLine?: number } = {}): Promise<ListingHead> {
  let format: ListingFormat | undefined;
  const rows = readRows(input, { onFormat: (f) => (format = f), allSheets: true });
  try {
    const { heads, next: after } = await findSheetWithHeader(rows, kind);
    const found = heads.at(-1)?.header ? heads.at(-1)! : null;
    const sheetsWithoutHeader = heads.filter((h) => h !== found && h.sheet).map((h) => h.sheet!);
    const head = found ?? heads.find((h) => !h.sheet?.hidden) ?? heads[0];
    if (!head) {
      return { format, header: null, recognised: 0, above: [], below: [], ended: true, readError: after?.error ?? null, sheet: null, sheetsWithoutHeader };
    }
    // No header recognised: the first row of the first sheet (never blank: the readers skip leading blank rows).
    const at = headerLine === undefined ? found?.header?.index ?? 0 : head.rows.findIndex((r) => r.line === headerLine);
    if (at < 0 || isBlankRow(head.rows[at].cells)) throw new HeaderLineNotInHead(headerLine!, head.rows);
    const below = head.rows.slice(at + 1);
    let ended = head.ended;
    let next = found ? after : null;
    // A header low in its head: the preview's rows are read on, from the same sheet.
    while (!ended && next && !next.error && next.sheet === head.rows[0].sheet && below.length <= previewRows) {
      below.push(next);
      const r = await rows.next();
      next = r.done ? null : r.value;
      ended = next === null || (!next.error && next.sheet !== head.rows[0].sheet);
    }
    return {
      format,
      header: head.rows[at],
      recognised: headerLine === undefined ? found?.header?.recognised ?? 0 : recognisedColumns(head.rows[at].cells, kind),
      above: head.rows.slice(0, at),
      below: below.slice(0, previewRows + 1),
      ended: ended && below.length <= previewRows + 1,
      readError: (found ? next : after)?.error ?? null,
      sheet: head.sheet,
      sheetsWithoutHeader,
    };
  } finally {
    await rows.return(undefined);
  }
}

/** The header asked for is not a line the head holds: the header is looked for in the first rows of the listing's sheet. */
export class HeaderLineNotInHead extends Error {
  constructor(readonly line: number, rows: RawRow[]) {
    const lines = rows.filter((r) => !isBlankRow(r.cells)).map((r) => r.line);
    super(`La ligne ${line} ne peut pas être l'en-tête : il est choisi parmi les ${HEADER_SEARCH_ROWS} premières lignes de la feuille, non vides (${lines.length ? `lignes ${lines[0]} à ${lines.at(-1)}` : "aucune"}).`);
  }
}
