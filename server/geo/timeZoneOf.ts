// The IANA time zone of a commune, from its INSEE code. Corsica (2A/2B) is on Paris time.
import { departmentOf } from "./departmentOf.ts";
import type { FrenchTimeZone } from "../../shared-types/timeZones.ts";

const OVERSEAS: Record<string, FrenchTimeZone> = {
  "971": "America/Guadeloupe",
  "972": "America/Martinique",
  "973": "America/Cayenne",
  "974": "Indian/Reunion",
  "975": "America/Miquelon",
  "976": "Indian/Mayotte",
  "977": "America/Guadeloupe", // Saint-Barthélemy (same offset as America/St_Barthelemy)
  "978": "America/Guadeloupe", // Saint-Martin (same offset as America/Marigot)
  "986": "Pacific/Wallis",
  "987": "Pacific/Tahiti",
  "988": "Pacific/Noumea",
};

/** A patient without a known commune is on Paris time (as their calling windows). */
export function timeZoneOf(inseeCode: string | null): FrenchTimeZone {
  return (inseeCode && OVERSEAS[departmentOf(inseeCode)]) || "Europe/Paris";
}

/** The same rule in SQL, for a column of INSEE codes (NULL: Paris); `$n` is a parameter holding
 * timeZoneTable(): the overseas departments' zones as one JSON object, from the table above. */
export const timeZoneSql = (inseeColumn: string, param: string) => `COALESCE(${param}::jsonb ->> left(${inseeColumn}, 3), 'Europe/Paris')`;
export const timeZoneTable = () => JSON.stringify(OVERSEAS);

export { clockName } from "../../shared-types/timeZones.ts";
