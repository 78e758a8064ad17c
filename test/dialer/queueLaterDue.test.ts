// Patients retried later stay in the queue, due in the future, in their priority. The queue is ordered by
// priority then due time, so "due now, best priority first" is not one range of it: a claim that walked it
// in order stepped over every first-priority patient waiting for their retry before reaching a due patient
// of the next priority (in a drive's second hour, all the ALD patients tried once: 155 pages a claim at
// 20,000). The claim reads each priority's due patients on their own (decision 016).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimNextPatient } from "../../server/dialer/claimNextPatient.ts";
import { queuePagesOfAClaim } from "../helpers/claimPages.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
});
afterAll(async () => {
  await pool.query(`ALTER TABLE "Enrolment" RESET (autovacuum_enabled)`);
  await pool.end();
});

const TUESDAY_11H = new Date("2026-11-24T10:00:00Z");
const TOMORROW = new Date(TUESDAY_11H.getTime() + 86_400_000);

describe("the claim and patients due later", () => {
  it("hands the due patient of the next priority without reading the first priority's later ones", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id, { status: "running" } as never);
    // The statistics of the drive's start, when every patient was due (autovacuum kept out until the end).
    await pool.query(`ALTER TABLE "Enrolment" SET (autovacuum_enabled = false)`);
    await makeEnrolledPatients(org.id, campaign.id, 20_000, { priority: 0 });
    const [due, preparersOwn] = await makeEnrolledPatients(org.id, campaign.id, 2, { priority: 1 });
    await pool.query(`VACUUM ANALYZE "Enrolment"`);
    // An hour later: every first-priority patient tried once, due again in the next hours.
    await pool.query(`UPDATE "Enrolment" SET "dueAt" = $2::timestamptz + random() * interval '4 hours' WHERE "campaignId" = $1 AND "priority" = 0`, [campaign.id, TOMORROW]);
    await pool.query(`VACUUM "Enrolment"`);
    const agent = { id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id };
    const preparer = { id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id };

    const pages = await queuePagesOfAClaim(pool, agent, preparer, TUESDAY_11H); // the preparer holds one of the two due patients
    expect(pages).toBeLessThan(15);
    const c = await pool.connect();
    try {
      const claim = await claimNextPatient(c, agent, TUESDAY_11H);
      expect([due.id, preparersOwn.id]).toContain(claim?.enrolmentId);
    } finally {
      c.release();
    }
  });

  it("keeps every priority among the levels the claim reads (0 to 3)", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id);
    await expect(makeEnrolledPatients(org.id, campaign.id, 1, { priority: 4 })).rejects.toMatchObject({ code: "23514", constraint: "Enrolment_priority_level" });
    await expect(makeEnrolledPatients(org.id, campaign.id, 1, { priority: -1 })).rejects.toMatchObject({ code: "23514" });
  });
});
