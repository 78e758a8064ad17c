// Ages move: a patient turns 17 (may now be called), 70 (the 70+ priority), and every birthday changes the age their
// card and the queue's label give. Run every hour by the housekeeping queue: for each organisation, the patients with
// an open enrolment whose birthday fell in the last week of the organisation's calendar (a worker down for a few days
// catches up), re-assessed; only what changed is written, so running it again changes nothing.
import type pg from "pg";
import { calendarDate } from "../organisations/timeZone.ts";
import { inTransaction } from "../pgPool.ts";
import { reassessEnrolments } from "./reassessEnrolments.ts";

const CATCH_UP_DAYS = 7;
const CHUNK = 5_000;

/** "MM-DD" of the birthdays that fell on the last CATCH_UP_DAYS days up to `today` (yyyy-mm-dd); 29 February counts
 * on 1 March of a year without one, the day its age changes (ageOn). */
export function birthdaysUpTo(today: string): string[] {
  const days: string[] = [];
  const t = new Date(`${today}T12:00:00Z`);
  for (let i = 0; i < CATCH_UP_DAYS; i++) {
    const d = new Date(t.getTime() - i * 86_400_000);
    const md = d.toISOString().slice(5, 10);
    days.push(md);
    const year = d.getUTCFullYear();
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
    if (md === "03-01" && !leap) days.push("02-29");
  }
  return days;
}

export async function reassessBirthdays(pool: pg.Pool, now = new Date()): Promise<number> {
  const { rows: orgs } = await pool.query<{ id: string; timeZone: string }>(`SELECT "id", "timeZone" FROM "Organisation"`);
  let changed = 0;
  for (const org of orgs) {
    const today = calendarDate(now, org.timeZone);
    const { rows } = await pool.query<{ id: string }>(
      `SELECT p."id" FROM "Patient" p WHERE p."organisationId" = $1 AND to_char(p."birthDate", 'MM-DD') = ANY($2::text[])
         AND EXISTS (SELECT 1 FROM "Enrolment" e WHERE e."patientId" = p."id" AND e."dialState" <> 'done')`,
      [org.id, birthdaysUpTo(today)],
    );
    for (let i = 0; i < rows.length; i += CHUNK) {
      const ids = rows.slice(i, i + CHUNK).map((r) => r.id);
      changed += await inTransaction((c) => reassessEnrolments(c, ids, today), pool);
    }
  }
  return changed;
}
