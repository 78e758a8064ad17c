// The organisation's time zone: the working day its supervisors see ("today"), the days and hours of its
// reports, the dates of its exports. Paris by default; an overseas fund or CPTS sets its own (the patients'
// calling windows follow their own commune's zone regardless, see server/geo/timeZoneOf.ts).
import { z } from "zod";
import { DEFAULT_TIME_ZONE, FRENCH_TIME_ZONES, isFrenchTimeZone, type FrenchTimeZone } from "../../shared-types/timeZones.ts";
import { timeZoneOf } from "../geo/timeZoneOf.ts";

export const timeZoneInput = z.enum(Object.keys(FRENCH_TIME_ZONES) as [FrenchTimeZone, ...FrenchTimeZone[]], {
  message: `fuseau horaire inconnu : l'un de ${Object.keys(FRENCH_TIME_ZONES).join(", ")}`,
});

/** A stored zone as the type says (the database's check keeps it among the zones of France). */
export const organisationZone = (stored: string): FrenchTimeZone => (isFrenchTimeZone(stored) ? stored : DEFAULT_TIME_ZONE);

/** The zone of a new organisation's territory when all its communes share one, else Paris. */
export function zoneOfTerritory(territory: string[]): FrenchTimeZone {
  const zones = new Set(territory.map(timeZoneOf));
  return zones.size === 1 ? [...zones][0] : DEFAULT_TIME_ZONE;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
let lastDay = { instant: NaN, zone: "", day: "" };
/** The calendar date (yyyy-mm-dd) of `instant` in `zone`, whatever the server's own zone: the organisation's
 * "today" for ages and eligibility. An import asks for the same day on every row: the last answer is kept
 * (formatting costs ~10 µs, building a formatter ~0.1 ms). */
export function calendarDate(instant: Date, zone: string): string {
  const t = instant.getTime();
  if (t === lastDay.instant && zone === lastDay.zone) return lastDay.day;
  let format = dayFormats.get(zone);
  if (!format) dayFormats.set(zone, (format = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" })));
  lastDay = { instant: t, zone, day: format.format(instant) };
  return lastDay.day;
}

/** SQL: the zone of the organisation whose id is the SQL expression `organisation` (a parameter, a column). */
export const organisationZoneSql = (organisation: string) => `(SELECT "timeZone" FROM "Organisation" WHERE "id" = ${organisation})`;

/** SQL: the zone of the organisation running the campaign whose id is the SQL expression `campaign`. */
export const campaignZoneSql = (campaign: string) => organisationZoneSql(`(SELECT "organisationId" FROM "Campaign" WHERE "id" = ${campaign})`);

/** SQL: midnight starting today in `zone` (an SQL expression: organisationZoneSql, a parameter), as an instant. */
export const startOfTodaySql = (zone: string) => `(date_trunc('day', now() AT TIME ZONE ${zone}) AT TIME ZONE ${zone})`;

/** SQL: midnight starting today in the organisation's zone, `organisation` as in organisationZoneSql. */
export const organisationTodaySql = (organisation: string) => startOfTodaySql(organisationZoneSql(organisation));

/** SQL: midnight starting the calendar day `day` (an SQL date expression) in `zone`, as an instant. */
export const midnightSql = (day: string, zone: string) => `(${day}::date::timestamp AT TIME ZONE ${zone})`;
