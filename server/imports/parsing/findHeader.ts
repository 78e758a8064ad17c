// Finds the header row of a listing (or of a workbook's sheet) among its first rows: funds' extractions often put a
// title, a date and blank lines above it (« Extraction CPAM du 01/12/2026 », « Patients ALD sans MT — Département 69 »),
// and a workbook may open on a notice sheet. The header is the row whose cells name the most columns mapHeaders
// recognises; rows below it are the listing, rows above it are not imported.
import { mapHeaders, type ListingKind } from "./mapHeaders.ts";
import { isBlankRow, type RawRow, type SheetInfo } from "./rawRow.ts";

/** How many rows (blank ones included) are looked at for the header: a title block is a few lines, a notice a screen. */
export const HEADER_SEARCH_ROWS = 30;
/** A header names at least this many known columns: one word (« ALD », « Nom : … ») is a title or a notice's line. */
export const MIN_RECOGNISED_COLUMNS = 2;

export interface FoundHeader {
  /** Position of the header in the rows given. */
  index: number;
  /** Columns mapHeaders recognised in it. */
  recognised: number;
}

/** How many of the row's cells mapHeaders takes for a field of the listing (a column given twice counts once). */
export function recognisedColumns(cells: readonly string[], kind: ListingKind): number {
  if (cells.length < MIN_RECOGNISED_COLUMNS) return 0;
  const { mapping } = kind === "patient" ? mapHeaders(cells, "patient") : mapHeaders(cells, "gp");
  return Object.values(mapping).flat().length;
}

/** How many known columns a row names, for a file that is not a listing (a fund's answers, an opposition register). */
export type HeaderScore = (cells: readonly string[]) => number;

/**
 * The header among the first HEADER_SEARCH_ROWS rows: the row naming the most known columns (of a listing of `kind`,
 * or as `kind` counts them), the first of them on a tie, provided it names at least MIN_RECOGNISED_COLUMNS; null when
 * no row does (the caller then takes the first non-blank row for the coordinator to map, as before).
 */
export function findHeader(rows: readonly RawRow[], kind: ListingKind | HeaderScore): FoundHeader | null {
  const score: HeaderScore = typeof kind === "function" ? (cells) => (cells.length < MIN_RECOGNISED_COLUMNS ? 0 : kind(cells)) : (cells) => recognisedColumns(cells, kind);
  let best: FoundHeader | null = null;
  for (const [index, row] of rows.slice(0, HEADER_SEARCH_ROWS).entries()) {
    if (row.error) break;
    if (isBlankRow(row.cells)) continue;
    const recognised = score(row.cells);
    if (recognised >= MIN_RECOGNISED_COLUMNS && recognised > (best?.recognised ?? 0)) best = { index, recognised };
  }
  return best;
}

/** The lines from `first` to the one above the header, in French: « la ligne 2 », « les lignes 2 et 3 », « les lignes 2 à 4 ». */
export function linesAboveHeader(first: number, headerLine: number): { lines: string; plural: boolean } {
  const last = headerLine - 1;
  if (first === last) return { lines: `la ligne ${first}`, plural: false };
  return { lines: `les lignes ${first} ${last === first + 1 ? "et" : "à"} ${last}`, plural: true };
}

export interface SheetHead {
  /** null for a CSV: one listing, no sheets. */
  sheet: SheetInfo | null;
  /** The sheet's first rows, at most HEADER_SEARCH_ROWS. */
  rows: RawRow[];
  header: FoundHeader | null;
  /** The sheet ended within these rows. */
  ended: boolean;
}

export interface SheetSearch {
  /** The sheets looked at, in order; when a header was found, it is in the last one. */
  heads: SheetHead[];
  /** The first row read after the last head's rows and not handled yet (the next sheet's, or its own 31st); null: the
   * listing ended. A row with an `error` means the reader stopped there. */
  next: RawRow | null;
}

/**
 * Reads sheet after sheet (a CSV is a single one), from `first` on, until one has a header in its first rows (a hidden
 * sheet never has one). A sheet without one is read to its end, never left half-read: exceljs' reader would keep what
 * is left of it in memory.
 */
export async function findSheetWithHeader(rows: AsyncIterator<RawRow>, kind: ListingKind, first?: RawRow): Promise<SheetSearch> {
  const heads: SheetHead[] = [];
  let next = first ?? (await pull(rows));
  while (next && !next.error) {
    const sheet = next.sheet ?? null;
    const onSheet = (row: RawRow | null): row is RawRow => row !== null && !row.error && (row.sheet ?? null) === sheet;
    const head: SheetHead = { sheet, rows: [], header: null, ended: false };
    heads.push(head);
    while (onSheet(next) && head.rows.length < HEADER_SEARCH_ROWS) {
      head.rows.push(next);
      next = await pull(rows);
    }
    head.ended = next === null || (!next.error && (next.sheet ?? null) !== sheet);
    head.header = sheet?.hidden ? null : findHeader(head.rows, kind); // a hidden sheet is no listing, whatever its first row
    if (head.header || !sheet) break; // a CSV has no next sheet: the rest of it is not read here
    while (onSheet(next)) next = await pull(rows);
  }
  return { heads, next };
}

async function pull(rows: AsyncIterator<RawRow>): Promise<RawRow | null> {
  const r = await rows.next();
  return r.done ? null : r.value;
}
