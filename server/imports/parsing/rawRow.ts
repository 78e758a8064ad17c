// What the readers yield: one record of the file with the line a text editor (or Excel) shows
// for its first physical line. `error` marks a part of the file that could not be read; the
// reader stops after it.
export interface RawRow {
  line: number;
  cells: string[];
  error?: string;
  /** XLSX: the worksheet the row is on (one object a sheet); line numbers start again at 1 on each sheet. */
  sheet?: SheetInfo;
}

export interface SheetInfo {
  /** Position among the workbook's worksheets, from 0, in the order they are read. */
  index: number;
  name: string;
  /** Hidden in Excel (a template's lists, a calculation): never taken for the listing, and named as such. */
  hidden?: true;
}

export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === "" || c.trim() === '""');
}
