// An agent's hold is found through the agent's own index entry, however many other agents hold a
// patient and whatever the statistics say: with statistics taken while nobody held anyone (a fresh
// database, a quiet night's ANALYZE), the lookups used to read every held row (~450 pages a claim at
// 500 agents). Checked on the real statements, prepared on the connection as the dialer prepares them.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimNextPatient } from "../../server/dialer/claimNextPatient.ts";
import { startCall } from "../../server/dialer/startCall.ts";
import { loadPatientCard } from "../../server/dialer/loadPatientCard.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
});
afterAll(() => pool.end());

const TUESDAY_11H = new Date("2026-11-24T10:00:00Z");
const OTHERS = 300;

/** Pages read by one execution of a statement prepared on this connection (rolled back). */
async function pagesRead(client: pg.PoolClient, statement: string, values: unknown[]) {
  await client.query("BEGIN");
  try {
    const params = values.map((v) => (v instanceof Date ? `'${v.toISOString()}'` : v === null ? "NULL" : `'${String(v)}'`)).join(", ");
    const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE "${statement}"(${params})`);
    const plan = rows[0]["QUERY PLAN"][0].Plan;
    return plan["Shared Hit Blocks"] + plan["Shared Read Blocks"];
  } finally {
    await client.query("ROLLBACK");
  }
}

describe("an agent's hold", () => {
  it(`is found without reading the ${OTHERS} other holds, with statistics taken while nobody held anyone`, async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id, { status: "running" } as never);
    await makeEnrolledPatients(org.id, campaign.id, OTHERS + 1);
    const agents = await Promise.all(Array.from({ length: OTHERS + 1 }, async () => ({ id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id })));
    await pool.query(`ANALYZE "Enrolment"`);
    const me = agents.pop()!;
    for (let i = 0; i < agents.length; i += 20) {
      await Promise.all(agents.slice(i, i + 20).map(async (a) => {
        const c = await pool.connect();
        try { expect(await claimNextPatient(c, a, TUESDAY_11H)).not.toBeNull(); } finally { c.release(); }
      }));
    }
    const held = await pool.query(`SELECT count(*)::int AS n FROM "Enrolment" WHERE "campaignId" = $1 AND "dialState" = 'held'`, [campaign.id]);
    expect(held.rows[0].n).toBe(OTHERS);

    const client = await pool.connect();
    try {
      const claim = await claimNextPatient(client, me, TUESDAY_11H);
      expect(claim).not.toBeNull();
      await loadPatientCard(client, me, {});
      const call = await startCall(client, me, claim!.enrolmentId, TUESDAY_11H);
      // The claim again (the agent's current hold is its first step), the card, the call's lease and attempt.
      const claimPages = await pagesRead(client, "dialer-claim", [org.id, me.id, TUESDAY_11H, TUESDAY_11H, TUESDAY_11H]);
      const cardPages = await pagesRead(client, "card", [me.id, org.id, null]);
      const leasePages = await pagesRead(client, "dialer-start-call", [claim!.enrolmentId, campaign.id, org.id, me.id, 2, call.phone, "simulator", TUESDAY_11H, TUESDAY_11H, call.attemptId]);
      // A handful of index and heap pages each; reading the other holds would be at least one page per hold.
      expect(claimPages, "claim").toBeLessThan(60);
      expect(cardPages, "card").toBeLessThan(60);
      expect(leasePages, "lease and attempt").toBeLessThan(60);
    } finally {
      client.release();
    }
  });

  it("a held enrolment always names its agent, and only a held one does", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id, { status: "running" } as never);
    const [e] = await makeEnrolledPatients(org.id, campaign.id, 1);
    const agent = await makeUser(org.id, "agent");
    await expect(pool.query(`UPDATE "Enrolment" SET "dialState" = 'held' WHERE "id" = $1`, [e.id])).rejects.toThrow(/Enrolment_held_by_an_agent/);
    await expect(pool.query(`UPDATE "Enrolment" SET "heldBy" = $2 WHERE "id" = $1`, [e.id, agent.user.id])).rejects.toThrow(/Enrolment_held_by_an_agent/);
  });
});
