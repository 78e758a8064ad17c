// DESIGN.md "Scale": two web processes and one worker on one PostgreSQL and one Redis act as one
// product. Agents work on both web processes; a supervisor connected to one of them sees, live,
// the agents (states, calls, presence) of the other, through socket.io's Redis adapter. Then
// 10,000 signed Twilio status callbacks, duplicated and shuffled, land on both web processes at once.
import twilio from "twilio";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { AgentStateEvent, CallStateEvent } from "../../shared-types/events.ts";
import { Client, makeAgents, newStats, runShift, sleep, VirtualAgent } from "./agents.ts";
import { pauseDemoCampaigns, makeCampaign } from "./campaign.ts";
import { doubleHolds, invariants } from "./invariants.ts";
import { startDeployment, type Deployment } from "./processes.ts";
import { recordFault } from "./report.ts";

let dep: Deployment;
beforeAll(async () => {
  dep = await startDeployment(inject("cluster"), { SIMULATOR_SPEED: "0.05" });
});
afterAll(async () => {
  await dep?.stop();
});

describe("two web processes and one worker", () => {
  it("a supervisor on one web process sees the agents of the other, live", async () => {
    const [a, b] = dep.webs;
    const admin = new Client(a.url);
    await admin.login(dep.users.admin.email, dep.users.admin.password);
    const coordinator = new Client(b.url);
    await coordinator.login(dep.users.coordinator.email, dep.users.coordinator.password);
    await pauseDemoCampaigns(coordinator);
    // uploaded to web B, imported by the worker
    await makeCampaign(coordinator, { name: "Multi-processus", patients: 300, seed: 11, dialMode: "progressive" });

    const supervisor = new Client(b.url);
    await supervisor.login(dep.users.supervisor.email, dep.users.supervisor.password);
    await supervisor.connect();
    const states: AgentStateEvent[] = [];
    const callStates: CallStateEvent[] = [];
    let presence = 0;
    supervisor.socket!.on("agent:state", (e) => states.push(e));
    supervisor.socket!.on("call:state", (e) => callStates.push(e));
    supervisor.socket!.on("presence:counts", (e) => (presence = Math.max(presence, e.counts.agent)));

    const accounts = await makeAgents(a.url, admin, 6, "mp");
    const agents = accounts.map((_, i) => new VirtualAgent(i < 3 ? a.url : b.url));
    await Promise.all(agents.map((ag, i) => ag.login(accounts[i].email, accounts[i].password)));
    await Promise.all(agents.map((ag) => ag.connect()));
    const onA = new Set(agents.slice(0, 3).map((ag) => ag.userId));

    const stats = newStats();
    let stop = false;
    const shifts = agents.map((ag) => runShift(ag, stats, () => stop));
    await sleep(8000);
    stop = true;
    await Promise.all(shifts);

    // the supervisor's socket is on web B: the states of the agents served by web A came through Redis
    const seenFromA = new Set(states.filter((s) => onA.has(s.userId)).map((s) => s.userId));
    expect([...seenFromA].sort()).toEqual([...onA].sort());
    expect(callStates.some((c) => onA.has(c.agentId))).toBe(true);
    expect(presence).toBeGreaterThanOrEqual(6);
    // any web process answers the same board: nothing lives in one process's memory
    const boardA = await supervisor.request("GET", "/supervision/agents");
    supervisor.base = a.url;
    const boardB = await supervisor.request("GET", "/supervision/agents");
    expect(boardA.status).toBe(200);
    const ids = (rows: { userId: string; status: string }[]) => rows.map((x) => `${x.userId}:${x.status}`).sort();
    expect(ids(boardA.body)).toEqual(ids(boardB.body));
    expect(boardA.body.length).toBeGreaterThanOrEqual(7);

    const inv = await invariants(dep.db);
    expect(stats.attempts.size).toBeGreaterThan(6);
    expect(inv.withoutOutcome).toBe(0);
    expect(doubleHolds(inv)).toBe(0);
    const ours = (await dep.db.query(`SELECT count(*)::int AS n FROM "CallAttempt" WHERE "agentId" = ANY($1::uuid[])`, [agents.map((ag) => ag.userId)])).rows[0].n;
    expect(ours).toBe(stats.attempts.size);
    expect(stats.outcomes.size).toBe(stats.attempts.size);
    for (const ag of [...agents, supervisor]) ag.close();
    recordFault(
      "2 web + 1 worker, 3 agents on each web process, supervisor socket on web B",
      `B received the states of all 3 agents of A and their calls; presence ${presence} agents; ${stats.attempts.size} attempts, 0 without outcome, 0 double holds`,
    );
  });

  it("10,000 Twilio status callbacks, duplicated and shuffled across both web processes: one final state per attempt", async () => {
    const [a, b] = dep.webs;
    const admin = new Client(a.url);
    await admin.login(dep.users.admin.email, dep.users.admin.password);
    const coordinator = new Client(b.url);
    await coordinator.login(dep.users.coordinator.email, dep.users.coordinator.password);
    const token = "twilio-auth-token-faults";
    const set = await admin.request("PUT", "/organisation/telephony", {
      provider: "twilio", twilioAccountSid: "AC00000000000000000000000000000000", twilioAuthToken: token, twilioCallerId: "+33400000000", twilioAgentLeg: "agent_phone",
    });
    expect(set.status).toBe(200);
    const campaignId = await makeCampaign(coordinator, { name: "Rappels Twilio", patients: 1400, seed: 61, dialMode: "preview" });
    await coordinator.request("POST", `/campaigns/${campaignId}/status`, { status: "paused" }); // no agent works on it

    // 1,250 calls in flight (attempts made as startCall makes them, with Twilio's CallSid)
    const calls = 1250;
    const { rows } = await dep.db.query(
      `INSERT INTO "CallAttempt" ("id", "enrolmentId", "campaignId", "organisationId", "agentId", "attemptNumber", "phone", "provider", "providerCallId")
       SELECT gen_random_uuid(), e."id", e."campaignId", c."organisationId", u."id", 1, '+33612345678', 'twilio', 'CA' || md5(e."id"::text)
       FROM "Enrolment" e JOIN "Campaign" c ON c."id" = e."campaignId"
       JOIN LATERAL (SELECT "id" FROM "User" WHERE "organisationId" = c."organisationId" AND "role" = 'agent' ORDER BY "email" LIMIT 1) u ON true
       WHERE e."campaignId" = $1 ORDER BY e."id" LIMIT $2 RETURNING "providerCallId"`, [campaignId, calls]);
    expect(rows).toHaveLength(calls);
    const url = `${dep.publicUrl}/api/telephony/twilio/status`; // the address Twilio signs (PUBLIC_URL)
    const at = new Date().toUTCString();
    const callbacks: Record<string, string>[] = [];
    rows.forEach(({ providerCallId: sid }: { providerCallId: string }, i: number) => {
      const human = i % 2 === 0;
      const base = { AccountSid: "AC00000000000000000000000000000000", CallSid: sid, Timestamp: at };
      const seq = [
        { ...base, CallStatus: "initiated", SequenceNumber: "0" },
        { ...base, CallStatus: "ringing", SequenceNumber: "1" },
        { ...base, CallStatus: "in-progress", SequenceNumber: "2", AnsweredBy: human ? "human" : "machine_start" },
        { ...base, CallStatus: "completed", SequenceNumber: "3", CallDuration: human ? "95" : "21" },
      ];
      for (const e of seq) callbacks.push(e, { ...e });
    });
    expect(callbacks).toHaveLength(10_000);
    for (let i = callbacks.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [callbacks[i], callbacks[j]] = [callbacks[j], callbacks[i]];
    }
    const statuses = new Map<number, number>();
    const lanes = 16;
    await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
      for (let i = lane; i < callbacks.length; i += lanes) {
        const params = callbacks[i];
        const target = i % 2 === 0 ? a.url : b.url;
        const res = await fetch(`${target}/api/telephony/twilio/status`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilio.getExpectedTwilioSignature(token, url, params) },
          body: new URLSearchParams(params).toString(),
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }));
    expect(Object.fromEntries(statuses)).toEqual({ 204: 10_000 });
    const after = (await dep.db.query(
      `SELECT "providerCallId", "callStatus", "lastSequence", "appliedSequences", "answeredBy", "endReason", "durationSeconds", "answeredAt", "endedAt", "outcome"
       FROM "CallAttempt" WHERE "campaignId" = $1`, [campaignId])).rows;
    expect(after).toHaveLength(calls);
    const wrong = after.filter((r, i) => {
      const applied = [...r.appliedSequences].sort();
      return r.callStatus !== "ended" || r.lastSequence !== 3 || applied.join() !== "0,1,2,3" || r.endReason !== "completed" || !r.answeredAt || !r.endedAt || r.outcome !== null || !["human", "machine"].includes(r.answeredBy) || void i;
    });
    expect(wrong).toEqual([]);
    expect(after.filter((r) => r.answeredBy === "human")).toHaveLength(calls / 2);
    recordFault(
      "10,000 signed Twilio status callbacks (1,250 calls × 4 statuses × 2 copies), shuffled, alternately on web A and web B, 16 at a time",
      "10,000 × 204; each call ended once: every sequence applied exactly once (0,1,2,3), status `ended`, who answered and the duration kept; telephony wrote no outcome",
    );
  });
});
