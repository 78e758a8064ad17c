// The patient's own time: an agent calling La Réunion or the Antilles speaks of hours on the patient's clock, and a
// callback the patient asks for ("demain à 18 h") is typed on it.
import { useEffect, useState } from "react";
import { DateTime } from "luxon";
import { clockName, timeZoneName, type FrenchTimeZone } from "../../../shared-types/timeZones.ts";
import { formatDateTime, shownTimeZone } from "../shared/labels.ts";

/** A datetime-local value ("YYYY-MM-DDTHH:mm") read on the clock of `zone`, as an ISO instant. */
export const instantFromLocal = (local: string, zone: string) => DateTime.fromISO(local, { zone }).toUTC().toISO()!;

/** The datetime-local value of an instant on the clock of `zone`. */
export const localValue = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");

/** "lundi 07/12/2026 à 18:00" on the clock of `zone`. */
export const formatOnClock = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).setLocale("fr").toFormat("cccc dd/MM/yyyy 'à' HH:mm");

/** The patient's time now, ticking each half-minute. */
export function PatientClock({ zone }: { zone: FrenchTimeZone }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return <p><strong>Heure locale du patient :</strong> {DateTime.fromJSDate(now, { zone }).toFormat("HH:mm")} ({timeZoneName(zone)})</p>;
}

/** A callback's time on the organisation's clock, named (« heure de Paris »), and on the patient's own where it differs
 * (they asked for it on theirs). */
export function CallbackTime({ at, zone }: { at: string; zone: string }) {
  const shown = shownTimeZone();
  return (
    <>
      {formatDateTime(at)} ({clockName(shown)})
      {zone !== shown && <> — pour le patient : {formatOnClock(at, zone)} ({clockName(zone)})</>}
    </>
  );
}
