// kill -9 of product processes (DESIGN.md rules 1, 3, 6):
// - a web process with 50 calls in flight: half the agents' consoles reconnect by themselves (to the
//   other web process, through the proxy) and record their outcome there; the other half are gone
//   (browser closed too), so their holds lapse and the worker's sweeper gives each attempt the outcome
//   "interrupted" and makes the patient due again;
// - the worker mid-import: a new worker resumes the import from its checkpoint, no duplicate row;
// - a web process mid-export (exports are streamed by the web process, not a worker job): the download
//   is cut, a new request to another process gives the whole file, each patient once.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { makeAgents, newStats, recordOutcome, sleep, VirtualAgent } from "./agents.ts";
import { makeCampaign, openDrive, uploadListing, waitImport } from "./campaign.ts";
import { doubleHolds, invariants } from "./invariants.ts";
import { startDeployment, type Deployment } from "./processes.ts";
import { recordFault } from "./report.ts";

let dep: Deployment;
beforeAll(async () => {
  // every simulated call is answered by a person: it stays in flight until the agent ends it
  dep = await startDeployment(inject("cluster"), { SIMULATOR_SPEED: "0.05", SIMULATOR_RATES: "1,0,0" });
});
afterAll(async () => {
  await dep?.stop();
});

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 500): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

const IMPORT_ROWS = 30_000;

describe("kill -9 of web and worker processes", () => {
  it("web process killed with 50 calls in flight, worker killed mid-import, web process killed mid-export", async () => {
    const [a, b] = dep.webs;
    const { admin, coordinator } = await openDrive(dep);
    const dialCampaign = await makeCampaign(coordinator, { name: "Coupure", patients: 1000, seed: 21, dialMode: "progressive" });
    const bigCampaign = await makeCampaign(coordinator, { name: "Gros listing", patients: 0, seed: 0, dialMode: "preview" });

    // 50 agents whose console talks to web A; their sockets go through the proxy
    const accounts = await makeAgents(dep.publicUrl, admin, 50, "kill");
    const agents = accounts.map(() => new VirtualAgent(a.url));
    await Promise.all(agents.map((ag, i) => ag.login(accounts[i].email, accounts[i].password)));
    await Promise.all(agents.map((ag) => ag.connect(dep.publicUrl)));
    const ids = agents.map((ag) => ag.userId);
    const inFlight = new Map<string, string>(); // agent → attempt
    await Promise.all(agents.map(async (ag) => {
      const r = await ag.request("POST", "/agent/status", { status: "ready" });
      expect(r.status).toBe(200);
      expect(r.body.card?.openAttempt?.id).toBeTruthy(); // progressive: the call started by itself, on web A
      inFlight.set(ag.userId, r.body.card.openAttempt.id);
    }));
    await waitFor("50 calls answered", async () => {
      const { rows } = await dep.db.query(`SELECT count(*)::int AS n FROM "CallAttempt" WHERE "agentId" = ANY($1::uuid[]) AND "outcome" IS NULL AND "callStatus" = 'answered'`, [ids]);
      return rows[0].n === 50;
    }, 30_000, 200);

    // the big listing, uploaded to web B, starts in the worker
    const up = await uploadListing(coordinator, bigCampaign, IMPORT_ROWS, 33);
    expect(up.status).toBe(202);
    const importId = up.body.id as string;
    await waitFor("a first committed batch", async () => (await dep.db.query(`SELECT "lastLine" FROM "Import" WHERE "id" = $1`, [importId])).rows[0].lastLine > 0, 60_000, 20);

    // ---- the faults: kill -9 of the worker mid-import and of web A with 50 calls in flight
    const killedAt = new Date();
    await Promise.all([dep.workers[0].kill(), a.kill()]);
    const atKill = (await dep.db.query(`SELECT "status", "lastLine", "rowsRead" FROM "Import" WHERE "id" = $1`, [importId])).rows[0];
    expect(atKill.status).toBe("running");
    expect(atKill.rowsRead).toBeLessThan(IMPORT_ROWS);
    const restartedWorker = dep.startWorker("worker-2"); // the operator (or systemd) starts a worker again

    const continuing = agents.slice(0, 25);
    const gone = agents.slice(25);
    for (const ag of gone) ag.close(); // browser closed with the process: no heartbeat any more
    // the others' consoles reconnect by themselves, through the proxy, to web B
    await waitFor("25 consoles reconnected", async () => continuing.every((ag) => ag.socket!.connected), 30_000, 100);
    const stats = newStats();
    await Promise.all(continuing.map(async (ag) => {
      ag.base = dep.publicUrl;
      const s = await ag.request("GET", "/agent/session");
      expect(s.status).toBe(200);
      expect(s.body.card.openAttempt.id).toBe(inFlight.get(ag.userId)); // still holding the patient, same attempt
      await ag.request("POST", "/agent/hangup");
      const r = await recordOutcome(ag, inFlight.get(ag.userId)!, "reached", stats);
      expect(r?.status).toBe(200);
    }));
    await restartedWorker;

    // the sweeper (new worker) ends the abandoned holds once their lease has lapsed
    const goneIds = gone.map((ag) => ag.userId);
    await waitFor("25 interrupted attempts", async () => {
      const { rows } = await dep.db.query(`SELECT count(*)::int AS n FROM "CallAttempt" WHERE "agentId" = ANY($1::uuid[]) AND "outcome" = 'interrupted'`, [goneIds]);
      return rows[0].n === 25;
    }, 180_000, 1000);

    const attempts = (await dep.db.query(
      `SELECT a."id", a."agentId", a."outcome", a."outcomeBy", a."outcomeAt", e."dialState", e."dueAt", e."heldBy"
       FROM "CallAttempt" a JOIN "Enrolment" e ON e."id" = a."enrolmentId" WHERE a."agentId" = ANY($1::uuid[])`, [ids])).rows;
    expect(attempts).toHaveLength(50); // 0 attempts lost (and none made twice)
    expect(new Set(attempts.map((r) => r.id))).toEqual(new Set(inFlight.values()));
    expect(attempts.every((r) => r.outcome !== null)).toBe(true);
    const interrupted = attempts.filter((r) => r.outcome === "interrupted");
    expect(interrupted.map((r) => r.agentId).sort()).toEqual([...goneIds].sort());
    expect(interrupted.every((r) => r.outcomeBy === "system" && r.dialState === "waiting" && r.heldBy === null)).toBe(true);
    const dueWithin = Math.max(...interrupted.map((r) => (new Date(r.dueAt).getTime() - new Date(r.outcomeAt).getTime()) / 1000));
    expect(dueWithin).toBeLessThanOrEqual(60);
    expect(attempts.filter((r) => r.outcome === "reached")).toHaveLength(25);
    const inv = await invariants(dep.db);
    expect(inv.withoutOutcome).toBe(0);
    expect(doubleHolds(inv)).toBe(0);
    const sweptAfter = Math.round((Math.max(...interrupted.map((r) => new Date(r.outcomeAt).getTime())) - killedAt.getTime()) / 1000);
    recordFault(
      "kill -9 of web A with 50 calls in flight (25 consoles reconnect, 25 closed)",
      `50 of 50 attempts with exactly one outcome (25 by their agent through web B, 25 \`interrupted\` by the sweeper ${sweptAfter} s after the kill, hold lease 90 s); 0 attempts lost; 0 double holds; interrupted patients due again ${Math.max(0, Math.round(dueWithin))} s after their outcome (≤ 60 s)`,
    );

    // ---- the import resumed in the new worker (BullMQ's stalled-job check gives the job back)
    const report = await waitImport(coordinator, importId, 240_000);
    expect(report.status).toBe("done");
    const imp = (await dep.db.query(`SELECT * FROM "Import" WHERE "id" = $1`, [importId])).rows[0];
    expect(imp.rowsRead).toBe(IMPORT_ROWS);
    const counted = (await dep.db.query(
      `SELECT (SELECT count(*) FROM "PatientSource" WHERE "importId" = $1)::int AS sources,
              (SELECT count(*) FROM "ImportRejection" WHERE "importId" = $1)::int AS rejections,
              (SELECT count(*) FROM "Enrolment" WHERE "campaignId" = $2)::int AS enrolments,
              (SELECT count(DISTINCT "patientId") FROM "PatientSource" WHERE "importId" = $1)::int AS patients,
              (SELECT count(*) FROM (SELECT "matchKey" FROM "Patient" GROUP BY "organisationId", "matchKey" HAVING count(*) > 1) d)::int AS "duplicatePatients"`,
      [importId, bigCampaign])).rows[0];
    expect(counted.sources).toBe(imp.accepted + imp.merged);
    expect(counted.rejections).toBe(imp.rejected);
    expect(imp.accepted + imp.merged + imp.rejected + imp.skipped).toBeGreaterThanOrEqual(IMPORT_ROWS);
    expect(counted.enrolments).toBe(counted.patients);
    expect(counted.duplicatePatients).toBe(0);
    recordFault(
      `kill -9 of the worker mid-import (${IMPORT_ROWS.toLocaleString("en-US")} rows, killed at line ${atKill.lastLine.toLocaleString("en-US")})`,
      `a new worker resumed it from its checkpoint: ${imp.rowsRead.toLocaleString("en-US")} rows read; sources = accepted + merged (${counted.sources.toLocaleString("en-US")}), rejections = rejected (${counted.rejections}); ${counted.enrolments.toLocaleString("en-US")} enrolments = distinct patients; 0 duplicate rows`,
    );

    // ---- web B killed mid-export; the coordinator downloads again through the proxy (web A, restarted)
    const aAgain = await dep.startWeb("web-a2");
    const partial = await new Promise<{ bytes: number; complete: boolean }>((resolve) => {
      const req = http.get(`${b.url}/api/campaigns/${bigCampaign}/patients?format=json`, { headers: { cookie: coordinator.cookie } }, (res) => {
        expect(res.statusCode).toBe(200);
        let bytes = 0;
        let complete = false;
        res.once("data", (d: Buffer) => {
          bytes += d.length;
          res.pause(); // a slow download: the export waits on the socket, mid-way
          void sleep(300).then(() => b.kill()).then(() => res.resume());
        });
        res.on("data", (d: Buffer) => (bytes += d.length));
        res.on("end", () => (complete = true));
        res.on("close", () => resolve({ bytes, complete: complete && res.complete }));
        res.on("error", () => {});
      });
      req.on("error", () => resolve({ bytes: 0, complete: false }));
    });
    expect(partial.complete).toBe(false);
    coordinator.base = aAgain.url;
    const full = await coordinator.request("GET", `/campaigns/${bigCampaign}/patients?format=json`, undefined, 120_000);
    expect(full.status).toBe(200);
    const rows = full.body as { id: string }[];
    expect(rows).toHaveLength(counted.enrolments);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    recordFault(
      "kill -9 of web B mid-export (exports are streamed by the web process)",
      `the cut download is incomplete (${Math.round(partial.bytes / 1024)} kB received, no final chunk); downloaded again from web A: ${rows.length.toLocaleString("en-US")} patients, each once`,
    );
    for (const ag of continuing) ag.close();
  });
});
