// A callback is asked for a time to come, within a year: « 2099 » (a mistyped year) and a time already past are refused
// with a clear French message, by the outcome's schema at the door and by recordOutcome for every other caller;
// nothing is recorded, and the agent can record the right time at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgPool } from "../../server/pgPool.ts";
import { latestCallback } from "../../shared-types/callbackLimits.ts";
import { startTestApp, type TestApp } from "../helpers/api.ts";
import { agentInCall } from "../helpers/agentInCall.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const DAY = 86_400_000;

describe("callback time", () => {
  it("refuses one in the past or more than a year ahead; accepts one within the year", async () => {
    const { agent, attemptId, enrolmentId } = await agentInCall(t.app);
    const send = (callbackAt: string) =>
      agent.agent.post(`/api/attempts/${attemptId}/outcome`).set("x-csrf-token", agent.csrf).send({ outcome: "callback", callbackAt });

    const in2099 = await send("2099-06-01T10:00:00+02:00").expect(400);
    expect(in2099.body.error.message).toBe("Données invalides : Date et heure du rappel : doit être dans moins d'un an (vérifiez l'année)");
    const justOver = await send(new Date(latestCallback(new Date()).getTime() + 60_000).toISOString()).expect(400);
    expect(justOver.body.error.message).toMatch(/moins d'un an/);
    const past = await send(new Date(Date.now() - 3_600_000).toISOString()).expect(400);
    expect(past.body.error.message).toBe("Données invalides : Date et heure du rappel : doit être dans le futur");
    const garbled = await send("31/12/2026 10:00").expect(400);
    expect(garbled.body.error.message).toBe("Données invalides : Date et heure du rappel : date invalide (ISO 8601)");
    // nothing written by the refusals
    const open = await pgPool().query(`SELECT "outcome" FROM "CallAttempt" WHERE "id" = $1`, [attemptId]);
    expect(open.rows[0].outcome).toBeNull();

    const inElevenMonths = new Date(Date.now() + 330 * DAY);
    await send(inElevenMonths.toISOString()).expect(200);
    const { rows: [e] } = await pgPool().query(`SELECT "callbackAt", "dueAt" FROM "Enrolment" WHERE "id" = $1`, [enrolmentId]);
    expect(e.callbackAt.toISOString()).toBe(inElevenMonths.toISOString());
    expect(e.dueAt.toISOString()).toBe(inElevenMonths.toISOString());
  });
});
