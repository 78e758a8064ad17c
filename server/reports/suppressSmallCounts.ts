// Statistical secrecy for the tables by commune: a count from 1 to SMALL_COUNT − 1 is never shown
// (0 is: it describes nobody). When a column's total is shown and exactly one cell of it is
// suppressed, the smallest other positive cell is masked too, otherwise total − shown cells would
// give the small count away (a total of 5 or more with one cell below 5 always has such a cell).
import { SMALL_COUNT } from "../matching/teamProfile.ts";

export { SMALL_COUNT };

export interface Cell {
  /** null when suppressed. */
  count: number | null;
  /** What the console and the exports show: the count, "< 5" or "masqué". */
  label: string;
}

const shown = (n: number): Cell => ({ count: n, label: String(n) });
const small: Cell = { count: null, label: `< ${SMALL_COUNT}` };
const masked: Cell = { count: null, label: "masqué" };
export const isSmall = (n: number) => n > 0 && n < SMALL_COUNT;
/** A cell in an export: the count as a number (a spreadsheet sums it), the label only where it is suppressed. */
export const exportedCell = (c: Cell): number | string => c.count ?? c.label;

/** Suppresses a table column by column: rows of counts in, rows of cells and a total row out. */
export function suppressSmallCounts<K extends string>(rows: readonly Record<K, number>[], columns: readonly K[]) {
  const cells = rows.map(() => ({}) as Record<K, Cell>);
  const totals = {} as Record<K, Cell>;
  for (const col of columns) {
    const values = rows.map((r) => r[col]);
    const total = values.reduce((s, n) => s + n, 0);
    const hidden = values.map(isSmall);
    const totalCell = isSmall(total) ? small : shown(total);
    const secondary = values.map(() => false);
    if (totalCell.count !== null && hidden.filter(Boolean).length === 1) {
      let pick = -1;
      values.forEach((n, i) => {
        if (!hidden[i] && n > 0 && (pick < 0 || n < values[pick])) pick = i;
      });
      secondary[pick] = true;
    }
    values.forEach((n, i) => (cells[i][col] = hidden[i] ? small : secondary[i] ? masked : shown(n)));
    totals[col] = totalCell;
  }
  return { rows: cells, totals };
}
