// Who is given new patients by their end of activity: one definition for the proposals of a GP on their own
// (findCandidates) and for the places a GP adds to their team's pool (refreshTeams).

/** A GP whose declared end of activity is this close (or past) is not given new patients. */
export const LEAVING_SOON_DAYS = 180;

/** SQL: the GP of alias `g` is not leaving within LEAVING_SOON_DAYS. */
export const stillPractisingSql = (g: string) => `(${g}."endOfActivity" IS NULL OR ${g}."endOfActivity" > current_date + ${LEAVING_SOON_DAYS})`;
