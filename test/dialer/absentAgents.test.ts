// An agent who closes the browser while ready, on a break or in wrap-up (holding no patient) is marked
// offline by the dialer's sweep once not seen for a lease's length, as of when last seen; an agent whose
// console still beats, one holding a patient (left to the hold's sweep) and one already offline are untouched.
import { describe, expect, it } from "vitest";
import { pgPool, withClient } from "../../server/pgPool.ts";
import { claimNextPatient } from "../../server/dialer/claimNextPatient.ts";
import { heartbeat, setAgentStatus } from "../../server/dialer/setAgentStatus.ts";
import { markAbsentAgentsOffline } from "../../server/dialer/markAbsentAgentsOffline.ts";
import { HOLD_LEASE_SECONDS } from "../../server/dialer/holdLease.ts";
import { runDialerSweep } from "../../queues/dialer.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";

const TUESDAY_11H = new Date("2026-11-24T10:00:00Z");
const at = (s: number) => new Date(TUESDAY_11H.getTime() + s * 1000);

describe("agents whose console has gone", () => {
  it("are marked offline once, as of when last seen; the others keep their state", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id, { status: "running" } as never);
    await makeEnrolledPatients(org.id, campaign.id, 1);
    const agent = async () => ({ id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id });
    const [gone, onBreak, beating, holding, off] = await Promise.all([agent(), agent(), agent(), agent(), agent()]);
    await setAgentStatus(pgPool(), gone, "ready", null, at(0));
    await setAgentStatus(pgPool(), onBreak, "paused", "break", at(5));
    await setAgentStatus(pgPool(), beating, "ready", null, at(0));
    await heartbeat(pgPool(), beating.id, at(HOLD_LEASE_SECONDS));
    await setAgentStatus(pgPool(), holding, "ready", null, at(0));
    expect(await withClient((c) => claimNextPatient(c, holding, at(0)))).not.toBeNull();
    await setAgentStatus(pgPool(), off, "offline", null, at(0));

    const later = at(HOLD_LEASE_SECONDS + 30);
    const ours = (rows: { userId: string; organisationId: string }[]) => rows.filter((r) => r.organisationId === org.id).map((r) => r.userId).sort();
    expect(ours(await markAbsentAgentsOffline(pgPool(), later))).toEqual([gone.id, onBreak.id].sort());
    expect(ours(await markAbsentAgentsOffline(pgPool(), later))).toEqual([]); // once

    const { rows } = await pgPool().query<{ userId: string; status: string; since: Date; pauseReason: string | null }>(
      `SELECT "userId", "status", "since", "pauseReason" FROM "AgentState" WHERE "organisationId" = $1`, [org.id]);
    const state = Object.fromEntries(rows.map((r) => [r.userId, r]));
    expect(state[gone.id]).toMatchObject({ status: "offline", since: at(0), pauseReason: null });
    expect(state[onBreak.id]).toMatchObject({ status: "offline", since: at(5), pauseReason: null });
    expect(state[beating.id].status).toBe("ready");
    expect(state[holding.id].status).toBe("busy");
    expect(state[off.id]).toMatchObject({ status: "offline", since: at(0) });
    // The state log ends the ready and the break when the agent was last seen: occupancy stops counting there.
    const log = await pgPool().query<{ userId: string; status: string; at: Date }>(
      `SELECT DISTINCT ON ("userId") "userId", "status", "at" FROM "AgentStateLog" WHERE "userId" = ANY($1::uuid[]) ORDER BY "userId", "at" DESC, "id" DESC`,
      [[gone.id, onBreak.id]]);
    expect(log.rows.map((r) => [r.userId, r.status, r.at.toISOString()]).sort()).toEqual(
      [[gone.id, "offline", at(0).toISOString()], [onBreak.id, "offline", at(5).toISOString()]].sort());
  });

  it("the dialer queue's job does it every run", async () => {
    const org = await makeOrganisation();
    const agent = { id: (await makeUser(org.id, "agent")).user.id, organisationId: org.id };
    await setAgentStatus(pgPool(), agent, "ready", null, new Date(Date.now() - (HOLD_LEASE_SECONDS + 5) * 1000));
    const run = await runDialerSweep();
    expect(run.offline).toBeGreaterThanOrEqual(1);
    const { rows: [s] } = await pgPool().query(`SELECT "status" FROM "AgentState" WHERE "userId" = $1`, [agent.id]);
    expect(s.status).toBe("offline");
  });
});
