// How far ahead a patient's callback may be asked for: the server refuses it (the outcome's schema, recordOutcome) and the
// console's date field offers nothing beyond it, from this one definition. A year: a callback « en 2099 » is a mistyped
// year, and it would keep the patient out of every queue for decades.

/** The latest time a callback asked for at `now` may take. */
export function latestCallback(now: Date): Date {
  const latest = new Date(now);
  latest.setFullYear(latest.getFullYear() + 1);
  return latest;
}

/** Why a callback at `at`, asked for at `now`, is refused (French, to follow the field's name), or null. */
export function callbackRefusal(at: Date, now: Date): string | null {
  if (!(at.getTime() > now.getTime())) return "doit être dans le futur";
  if (at.getTime() > latestCallback(now).getTime()) return "doit être dans moins d'un an (vérifiez l'année)";
  return null;
}
