// The rules checked from PostgreSQL after a fault (DESIGN.md rules 1, 3, 6).
import type pg from "pg";

export async function invariants(db: pg.Pool) {
  const { rows } = await db.query(`SELECT
    (SELECT count(*) FROM "CallAttempt")::int AS attempts,
    (SELECT count(*) FROM "CallAttempt" WHERE "outcome" IS NULL)::int AS "withoutOutcome",
    (SELECT count(*) FROM (SELECT "heldBy" FROM "Enrolment" WHERE "dialState" = 'held' GROUP BY "heldBy" HAVING count(*) > 1) d)::int AS "agentsHoldingTwo",
    (SELECT count(*) FROM (SELECT e."patientId" FROM "Enrolment" e WHERE e."dialState" = 'held' GROUP BY e."patientId" HAVING count(*) > 1) d)::int AS "patientsHeldTwice",
    (SELECT count(*) FROM (SELECT "enrolmentId" FROM "CallAttempt" WHERE "outcome" IS NULL GROUP BY "enrolmentId" HAVING count(*) > 1) d)::int AS "patientsInTwoCalls",
    (SELECT count(*) FROM "Enrolment" WHERE "dialState" = 'held')::int AS held`);
  return rows[0] as { attempts: number; withoutOutcome: number; agentsHoldingTwo: number; patientsHeldTwice: number; patientsInTwoCalls: number; held: number };
}

/** 0 double holds: no agent holds two patients, no patient is held twice or in two calls at once. */
export const doubleHolds = (i: Awaited<ReturnType<typeof invariants>>) => i.agentsHoldingTwo + i.patientsHeldTwice + i.patientsInTwoCalls;
