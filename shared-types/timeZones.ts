// The time zones of France (IANA names), each with the French label the console shows. An organisation
// lives in one of them (its working day, its reports' days and hours, the dates of its exports); a patient's
// calling windows follow the zone of their commune (server/geo/timeZoneOf.ts), drawn from the same table.

export const FRENCH_TIME_ZONES = {
  "Europe/Paris": "Métropole et Corse",
  "America/Guadeloupe": "Guadeloupe, Saint-Martin, Saint-Barthélemy",
  "America/Martinique": "Martinique",
  "America/Cayenne": "Guyane",
  "Indian/Reunion": "La Réunion",
  "Indian/Mayotte": "Mayotte",
  "America/Miquelon": "Saint-Pierre-et-Miquelon",
  "Pacific/Wallis": "Wallis-et-Futuna",
  "Pacific/Tahiti": "Polynésie française",
  "Pacific/Noumea": "Nouvelle-Calédonie",
} as const;

export type FrenchTimeZone = keyof typeof FRENCH_TIME_ZONES;
export const DEFAULT_TIME_ZONE: FrenchTimeZone = "Europe/Paris";
export const isFrenchTimeZone = (zone: string): zone is FrenchTimeZone => Object.hasOwn(FRENCH_TIME_ZONES, zone);
/** "La Réunion" for Indian/Reunion; the IANA name itself for a zone outside the table. */
export const timeZoneName = (zone: string): string => (isFrenchTimeZone(zone) ? FRENCH_TIME_ZONES[zone] : zone);

/** How a time on this clock is named in French, by the server and the console alike: "heure de Paris",
 * "heure locale, La Réunion". */
export function clockName(zone: string): string {
  if (zone === "Europe/Paris") return "heure de Paris";
  return `heure locale, ${timeZoneName(zone)}`;
}
