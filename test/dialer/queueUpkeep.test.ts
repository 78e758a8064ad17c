// The dialer's queue upkeep: claims leave dead entries at the head of the queue; once enough enrolment
// rows are dead, the worker's job VACUUMs Enrolment, and the next claim no longer steps over them.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { vacuumQueueIfDead } from "../../server/dialer/queueUpkeep.ts";
import { queuePagesOfAClaim } from "../helpers/claimPages.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
});
afterAll(() => pool.end());

const TUESDAY_11H = new Date("2026-11-24T10:00:00Z");

describe("dialer queue upkeep", () => {
  it("VACUUMs Enrolment once enough rows are dead, and claims then skip no dead entries", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id, { status: "running" } as never);
    await makeEnrolledPatients(org.id, campaign.id, 3_000);
    const agent = { id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id };
    const preparer = { id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id };
    // Due times spread over a day, as in a real listing (identical keys would share index entries).
    await pool.query(`UPDATE "Enrolment" SET "dueAt" = $2::timestamptz - random() * interval '1 day' WHERE "campaignId" = $1`, [campaign.id, TUESDAY_11H]);
    await pool.query(`VACUUM "Enrolment"`);
    // 2,500 patients taken from the head of the queue (as 2,500 claims would), in one statement.
    await pool.query(
      `WITH head AS (SELECT "id" FROM "Enrolment" WHERE "campaignId" = $1 ORDER BY "priority", "dueAt" LIMIT 2500)
       UPDATE "Enrolment" SET "dialState" = 'done', "doneReason" = 'reached' WHERE "id" IN (SELECT "id" FROM head)`, [campaign.id]);
    await pool.query(`SELECT pg_stat_force_next_flush()`); // this session's counts, to the statistics now
    const before = await queuePagesOfAClaim(pool, agent, preparer, TUESDAY_11H);

    const c = await pool.connect();
    try {
      await c.query("SELECT pg_stat_clear_snapshot()");
      const vacuums0 = (await c.query(`SELECT vacuum_count::int AS n FROM pg_stat_user_tables WHERE relid = '"Enrolment"'::regclass`)).rows[0].n;
      expect(await vacuumQueueIfDead(c, 1_000_000)).toBe(0); // not enough dead rows for that threshold: nothing done
      const dead = await vacuumQueueIfDead(c, 2_000);
      expect(dead).toBeGreaterThanOrEqual(2_500);
      await c.query("SELECT pg_stat_clear_snapshot()");
      const vacuums1 = (await c.query(`SELECT vacuum_count::int AS n FROM pg_stat_user_tables WHERE relid = '"Enrolment"'::regclass`)).rows[0].n;
      expect(vacuums1).toBe(vacuums0 + 1);
    } finally {
      c.release();
    }
    const after = await queuePagesOfAClaim(pool, agent, preparer, TUESDAY_11H);
    // The 2,500 dead entries fill several index pages, each read by every claim until the VACUUM.
    expect(before).toBeGreaterThan(after + 5);
    expect(after).toBeLessThan(10);
  });
});
