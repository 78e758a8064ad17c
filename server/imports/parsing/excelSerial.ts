// Excel's 1900 date system: serial 1 is 1900-01-01 and serial 60 is the 29 February 1900 that
// never existed (a Lotus 1-2-3 bug Excel kept), so real dates from 1 March 1900 are off by one.

const DAY_MS = 86_400_000;
const EPOCH_AFTER_BUG = Date.UTC(1899, 11, 30); // serial 61 → 1900-03-01
const EPOCH_BEFORE_BUG = Date.UTC(1899, 11, 31); // serial 1 → 1900-01-01

/** ISO date (yyyy-mm-dd) of an Excel 1900-system serial, or null for 0, 60 and out-of-range values. */
export function excelSerialToIsoDate(serial: number): string | null {
  if (!Number.isFinite(serial)) return null;
  const day = Math.floor(serial);
  if (day < 1 || day === 60 || day > 2_958_465) return null; // 2958465 = 9999-12-31
  const epoch = day > 60 ? EPOCH_AFTER_BUG : EPOCH_BEFORE_BUG;
  return new Date(epoch + day * DAY_MS).toISOString().slice(0, 10);
}
