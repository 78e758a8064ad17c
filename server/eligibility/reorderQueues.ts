// The coordinator changed a campaign's priority order (its calling rules set `reorderPending`): the patients still to
// call move to their rank in the new order. Run by the housekeeping queue, at once after the change and every minute
// (a lost job, a Redis flush, a worker killed mid-way: the flag is in PostgreSQL and the work is idempotent), in chunks
// of short transactions that follow the campaign's (campaignId, patientId) index: a national campaign's 500,000
// patients are never locked together, so agents go on claiming and recording outcomes meanwhile.
//
// A patient's rank depends only on the groups they are in (ALD, 70 or older, CSS; everyone is in "other"): the eight
// combinations are ranked by assessPatient, the one rule, and each chunk's statement gives every enrolment the rank of
// its combination. Eligibility and the label do not depend on the order and are left as they are.
import type pg from "pg";
import type { PriorityGroup } from "../campaigns/schemas.ts";
import { calendarDate } from "../organisations/timeZone.ts";
import { assessPatient } from "./assessPatient.ts";

const CHUNK = 5_000;

/** Rank for each combination, indexed by ald·4 + (70 or older)·2 + css. */
export function ranksByGroups(order: readonly PriorityGroup[], today: string): number[] {
  const seventy = `${Number(today.slice(0, 4)) - 70}${today.slice(4)}`; // exactly 70 today: ageOn gives 70
  return Array.from({ length: 8 }, (_, k) => assessPatient(
    { birthDate: k & 2 ? seventy : today, ald: Boolean(k & 4), css: Boolean(k & 1), hasMt: false, optOut: false, consentContact: true, phoneCount: 1 },
    { priorityOrder: order, requiresContactConsent: false },
    today,
  ).priority);
}

// 70 or older on $3 (the organisation's date) as ageOn counts it: born on or before the same day 70 years earlier
// (from 29 February, PostgreSQL's date arithmetic lands on 28 February in a year without one, as ageOn).
const RANK = `($2::int[])[1 + p."ald"::int * 4 + (p."birthDate" <= $3::date - interval '70 years')::int * 2 + p."css"::int]`;
// $1 campaign, $2 ranks, $3 today, $4 the last patient of the previous chunk.
const CHUNK_SQL = `WITH sel AS (SELECT e."id", e."patientId" FROM "Enrolment" e WHERE e."campaignId" = $1::uuid AND e."patientId" > $4::uuid
      ORDER BY e."patientId" LIMIT ${CHUNK}),
    moved AS (UPDATE "Enrolment" e SET "priority" = ${RANK}, "updatedAt" = now() FROM sel, "Patient" p
      WHERE e."id" = sel."id" AND p."id" = e."patientId" AND e."dialState" <> 'done' AND e."priority" <> ${RANK} RETURNING 1)
  SELECT (SELECT max(sel."patientId"::text) FROM sel) AS "last", (SELECT count(*)::int FROM moved) AS "moved"`;

/** Moves the patients of every campaign whose order changed; returns how many enrolments moved. */
export async function reorderQueues(pool: pg.Pool, now = new Date()): Promise<number> {
  const { rows: pending } = await pool.query<{ id: string; priorityOrder: PriorityGroup[]; timeZone: string }>(
    `SELECT c."id", c."priorityOrder", o."timeZone" FROM "Campaign" c JOIN "Organisation" o ON o."id" = c."organisationId" WHERE c."reorderPending"`);
  let moved = 0;
  for (const campaign of pending) {
    const today = calendarDate(now, campaign.timeZone);
    const ranks = ranksByGroups(campaign.priorityOrder, today);
    for (let last: string | null = "00000000-0000-0000-0000-000000000000"; last !== null;) {
      const { rows: [chunk] }: { rows: { last: string | null; moved: number }[] } = await pool.query({ name: "reorder-queue-chunk", text: CHUNK_SQL, values: [campaign.id, ranks, today, last] });
      moved += chunk.moved;
      last = chunk.last;
    }
    // Done for this order; changed again meanwhile, the flag stays and the next run follows the newer order.
    await pool.query(`UPDATE "Campaign" SET "reorderPending" = false WHERE "id" = $1 AND "priorityOrder" = $2::text[]`, [campaign.id, campaign.priorityOrder]);
  }
  return moved;
}
