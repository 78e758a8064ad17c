// Statistical secrecy for the tables by commune and the team profile: a count from 1 to SMALL_COUNT − 1 is never shown
// (0 is: it describes nobody, except where suppressGroup is told otherwise). Where a total is shown, one more cell is
// masked when total − shown cells would give a small count away (suppressGroup).
/** Counts below this are never shown (statistical secrecy). */
export const SMALL_COUNT = 5;

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

/**
 * One group of counts that add up to a shown total (a column by commune, a row of age bands). Small counts are
 * suppressed; then, if the total minus the shown cells would give the suppressed ones away (one suppressed cell, or
 * several whose sum leaves them one possible value each: all at the lowest or all at SMALL_COUNT − 1), the smallest
 * shown positive cell is masked too, or the total when there is none. `zeroIsSmall`: 0 is suppressed like 1 to 4
 * (where telling nobody from a few would say something).
 */
export function suppressGroup(values: readonly number[], { zeroIsSmall = false } = {}): { cells: Cell[]; total: Cell } {
  const isHidden = (n: number) => (zeroIsSmall ? n < SMALL_COUNT : isSmall(n));
  const total = values.reduce((sum, n) => sum + n, 0);
  const hidden = values.map(isHidden);
  const totalHidden = isHidden(total);
  const secondary = values.map(() => false);
  let maskTotal = false;
  const suppressed = values.filter((_, i) => hidden[i]);
  const lowest = zeroIsSmall ? 0 : 1;
  const hiddenSum = suppressed.reduce((sum, n) => sum + n, 0);
  const givenAway = suppressed.length === 1 || (suppressed.length > 1 && (hiddenSum === lowest * suppressed.length || hiddenSum === (SMALL_COUNT - 1) * suppressed.length));
  if (!totalHidden && givenAway) {
    let pick = -1;
    values.forEach((n, i) => {
      if (!hidden[i] && n > 0 && (pick < 0 || n < values[pick])) pick = i;
    });
    if (pick >= 0) secondary[pick] = true;
    else maskTotal = true;
  }
  return {
    cells: values.map((n, i) => (hidden[i] ? small : secondary[i] ? masked : shown(n))),
    total: totalHidden ? small : maskTotal ? masked : shown(total),
  };
}

/** Suppresses a table column by column: rows of counts in, rows of cells and a total row out. */
export function suppressSmallCounts<K extends string>(rows: readonly Record<K, number>[], columns: readonly K[]) {
  const cells = rows.map(() => ({}) as Record<K, Cell>);
  const totals = {} as Record<K, Cell>;
  for (const col of columns) {
    const group = suppressGroup(rows.map((r) => r[col]));
    group.cells.forEach((c, i) => (cells[i][col] = c));
    totals[col] = group.total;
  }
  return { rows: cells, totals };
}
