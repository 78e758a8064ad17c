// Reading mapped cells of a row: trimmed text, or null when the column is not mapped or empty.

/** A cell the product's CSV exports write for Excel (frenchCsv: ="01053", a text formula) read back as its text: a
 * rejected rows file sent back, or a patients export, imports as the values it holds. */
const EXCEL_TEXT = /^="((?:[^"]|"")*)"$/;

export function cellOf(cells: readonly string[], column: number | undefined): string | null {
  if (column === undefined) return null;
  let value = (cells[column] ?? "").trim();
  const text = EXCEL_TEXT.exec(value);
  if (text) value = text[1].replace(/""/g, '"').trim();
  return value === "" ? null : value;
}

export function cellsOf(cells: readonly string[], columns: readonly number[] | undefined): string[] {
  return (columns ?? []).map((c) => cellOf(cells, c)).filter((v): v is string => v !== null);
}
