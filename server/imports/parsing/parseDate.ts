// Reads a date cell of a listing: dd/mm/yyyy (also with - . or space), d/m/yy, yyyy-mm-dd,
// yyyymmdd, "12 mars 1950", an Excel serial number (1900 system), each optionally followed by
// a time ("12/03/1950 00:00:00"). Returns an ISO date or a French reason.
import { excelSerialToIsoDate } from "./excelSerial.ts";

export type ParsedDate =
  | { ok: true; date: string }
  | { ok: false; problem: DateProblem; reason: string };

/** missing: empty cell; partial: a year alone; impossible: 31/02; invalid: not a date at all. */
export type DateProblem = "missing" | "partial" | "impossible" | "invalid";

export interface ParseDateOptions {
  /**
   * How a two-digit year is read. "past" (birth dates, the default): never in the future —
   * 25 is 2025 if 2025 is not after today's year, else 1925. "nearest": the year closest to today.
   */
  twoDigitYear?: "past" | "nearest";
  /** Today, for the two-digit year pivot (default: now). */
  today?: Date;
  /**
   * Which days a bare number may be the Excel serial of (yyyy-mm-dd, both included); default: any serial (1900 to 9999).
   * A workbook's date cells come typed (readXlsxRows turns them into ISO dates); a bare number reaches here from a CSV,
   * or from a workbook cell that lost its date format, and there « 150352 » is as likely 15/03/52 without its slashes,
   * an identifier or a typo as the serial of a day in 2311. So a column says which days it can hold (birthDateRange), and a
   * number whose day is outside is not read as a date.
   */
  serialRange?: { from: string; to: string };
}

/** The oldest age a listing may give (older is a typo or a placeholder birth date such as 01/01/1800). */
export const MAX_AGE_YEARS = 120;

/** Days a birth date can be: from 1 January of the year MAX_AGE_YEARS before today's, to today (UTC calendar of `today`:
 * a serial is a calendar day; a day off at midnight only moves the bound). As Excel serials, about 2,200 to 46,000 today: a
 * five-digit number at most, never six. */
export function birthDateRange(today: Date): { from: string; to: string } {
  // asked once a row with the same `today` (the import's): made once
  if (lastBirthRange?.at !== today.getTime()) {
    const range = { from: `${String(today.getUTCFullYear() - MAX_AGE_YEARS).padStart(4, "0")}-01-01`, to: today.toISOString().slice(0, 10) };
    lastBirthRange = { at: today.getTime(), range };
  }
  return lastBirthRange.range;
}
let lastBirthRange: { at: number; range: { from: string; to: string } } | null = null;

const MONTHS: Record<string, number> = {
  janvier: 1, janv: 1, jan: 1, fevrier: 2, fevr: 2, fev: 2, mars: 3, mar: 3, avril: 4, avr: 4, mai: 5,
  juin: 6, juillet: 7, juil: 7, aout: 8, septembre: 9, sept: 9, sep: 9, octobre: 10, oct: 10,
  novembre: 11, nov: 11, decembre: 12, dec: 12,
};

const TIME = String.raw`(?:[ T]\d{1,2}[:h]\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?`;
const DMY = new RegExp(String.raw`^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4}|\d{2})${TIME}$`);
const YMD = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})${TIME}$`);
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SERIAL = /^\d{1,7}(?:[.,]\d+)?$/;
const WORDS = /^(\d{1,2})(?:er)? ([a-z]+)\.? (\d{4})$/;

export function parseDate(value: string, options: ParseDateOptions = {}): ParsedDate {
  const raw = value.trim();
  if (raw === "") return { ok: false, problem: "missing", reason: "date manquante" };

  let m = YMD.exec(raw);
  if (m) return build(+m[1], +m[2], +m[3], raw);

  m = DMY.exec(raw);
  if (m) {
    const year = m[3].length === 2 ? expandYear(+m[3], options) : +m[3];
    return build(year, +m[2], +m[1], raw);
  }

  m = COMPACT.exec(raw);
  if (m && +m[1] >= 1800) return build(+m[1], +m[2], +m[3], raw);
  if (/^\d{8}$/.test(raw)) return build(+raw.slice(4), +raw.slice(2, 4), +raw.slice(0, 2), raw); // ddmmyyyy

  if (/^\d{4}$/.test(raw) && +raw >= 1800 && +raw <= 2100) {
    return { ok: false, problem: "partial", reason: `date incomplète : « ${raw} » (année seule)` };
  }
  if (SERIAL.test(raw)) {
    const iso = excelSerialToIsoDate(Number(raw.replace(",", ".")));
    const range = options.serialRange;
    if (iso && range && (iso < range.from || iso > range.to)) {
      return { ok: false, problem: "invalid", reason: `date invalide : « ${raw} » (un nombre, qui n'est pas une date plausible ici ; attendu jj/mm/aaaa)` };
    }
    return iso ? { ok: true, date: iso } : { ok: false, problem: "invalid", reason: `date invalide : « ${raw} »` };
  }

  m = WORDS.exec(fold(raw));
  if (m && MONTHS[m[2]]) return build(+m[3], MONTHS[m[2]], +m[1], raw);

  return { ok: false, problem: "invalid", reason: `date invalide : « ${raw} » (attendu jj/mm/aaaa)` };
}

function build(year: number, month: number, day: number, raw: string): ParsedDate {
  const d = new Date(Date.UTC(year, month - 1, day));
  if (year < 1000 || month < 1 || month > 12 || day < 1 || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    return { ok: false, problem: "impossible", reason: `date inexistante : « ${raw} »` };
  }
  return { ok: true, date: d.toISOString().slice(0, 10) };
}

function expandYear(yy: number, options: ParseDateOptions): number {
  const current = (options.today ?? new Date()).getFullYear();
  const century = Math.floor(current / 100) * 100;
  if ((options.twoDigitYear ?? "past") === "past") {
    return yy > current % 100 ? century - 100 + yy : century + yy;
  }
  const candidates = [century - 100 + yy, century + yy, century + 100 + yy];
  return candidates.reduce((best, y) => (Math.abs(y - current) < Math.abs(best - current) ? y : best));
}

function fold(s: string): string {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ");
}
