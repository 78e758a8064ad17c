// Reading mapped cells of a row: trimmed text, or null when the column is not mapped or empty.

export function cellOf(cells: readonly string[], column: number | undefined): string | null {
  if (column === undefined) return null;
  const value = (cells[column] ?? "").trim();
  return value === "" ? null : value;
}

export function cellsOf(cells: readonly string[], columns: readonly number[] | undefined): string[] {
  return (columns ?? []).map((c) => cellOf(cells, c)).filter((v): v is string => v !== null);
}

/** Postal codes that lost their leading zero in Excel ("1000" for 01000). */
export function normalisePostalCode(value: string | null): string | null {
  if (value === null) return null;
  const v = value.replace(/\s/g, "");
  return /^\d{4}$/.test(v) ? `0${v}` : v;
}

/** Today's date in France (yyyy-mm-dd), whatever the server's time zone. */
const parisDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" });
let lastInstant = NaN;
let lastIso = "";
export function isoDateInParis(now: Date): string {
  // one formatter for the process (building one costs ~0.1 ms), and the last answer kept:
  // an import asks for the same `today` on every row, and formatting costs ~10 µs
  const t = now.getTime();
  if (t !== lastInstant) {
    lastIso = parisDate.format(now);
    lastInstant = t;
  }
  return lastIso;
}

/** Whole years between two ISO dates. */
export function yearsBetween(fromIso: string, toIso: string): number {
  if (fromIso.length !== 10 || toIso.length !== 10) {
    const [fy, fm, fd] = fromIso.split("-").map(Number);
    const [ty, tm, td] = toIso.split("-").map(Number);
    return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
  }
  const fy = Number(fromIso.slice(0, 4)), fm = Number(fromIso.slice(5, 7)), fd = Number(fromIso.slice(8, 10));
  const ty = Number(toIso.slice(0, 4)), tm = Number(toIso.slice(5, 7)), td = Number(toIso.slice(8, 10));
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}
