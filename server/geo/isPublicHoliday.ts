// Whether a local date (yyyy-mm-dd, in the commune's own time zone) is a public holiday in the
// commune of this INSEE code: national holidays, plus Vendredi saint and 26 December in
// Alsace-Moselle (57, 67, 68) and the abolition of slavery day overseas (date-holidays states).
import Holidays from "date-holidays";
import { departmentOf } from "./departmentOf.ts";

const STATE_OF_DEPARTMENT: Record<string, string> = {
  "57": "57",
  "67": "67",
  "68": "68",
  "971": "GP",
  "972": "MQ",
  "973": "GF",
  "974": "RE",
  "976": "YT",
  "977": "BL",
  "978": "MF",
};
// date-holidays puts Saint-Martin's abolition day on 27 May (décret n° 83-1003 as of 2012);
// it has been 28 May since 2018 (décret amending it, after the territorial council's 2015 vote).
const OVERRIDES: Record<string, { add: string[]; remove: string[] }> = { MF: { add: ["05-28"], remove: ["05-27"] } };

const cache = new Map<string, Set<string>>();

export function isPublicHoliday(localDate: string, inseeCode: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(localDate)) throw new Error(`date locale invalide : « ${localDate} » (aaaa-mm-jj attendu)`);
  const state = STATE_OF_DEPARTMENT[departmentOf(inseeCode)] ?? "";
  return holidaysOf(Number(localDate.slice(0, 4)), state).has(localDate);
}

function holidaysOf(year: number, state: string): Set<string> {
  const key = `${state}|${year}`;
  let days = cache.get(key);
  if (!days) {
    const hd = state ? new Holidays("FR", state) : new Holidays("FR");
    days = new Set(hd.getHolidays(year).filter((h) => h.type === "public").map((h) => h.date.slice(0, 10)));
    const override = OVERRIDES[state];
    if (override) {
      for (const md of override.remove) days.delete(`${year}-${md}`);
      for (const md of override.add) days.add(`${year}-${md}`);
    }
    cache.set(key, days);
  }
  return days;
}
