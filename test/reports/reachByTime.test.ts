// Reach by hour and weekday is counted in the patient's local time, the time the calling windows are
// set in: a call to Réunion at 06:00 UTC is 10 h there (7 h in Paris), one to Martinique at 23:30 UTC
// on a Monday is 19 h on that Monday there (00 h on Tuesday in Paris).
import { beforeAll, describe, expect, it } from "vitest";
import { pgPool } from "../../server/pgPool.ts";
import { reachByTime } from "../../server/reports/reachByTime.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { makeStories } from "../factories/reports.ts";

let report: Awaited<ReturnType<typeof reachByTime>>;

beforeAll(async () => {
  const org = await makeOrganisation();
  const campaign = await makeCampaign(org.id);
  const agentId = (await makeUser(org.id, "agent")).user.id;
  await makeStories(org.id, campaign.id, [
    { inseeCode: "97411", attempts: [{ outcome: "reached", agentId, at: new Date("2026-03-03T06:00:00Z") }] }, // Saint-Denis (Réunion), UTC+4
    { inseeCode: "97209", attempts: [{ outcome: "no_answer", agentId, at: new Date("2026-03-02T23:30:00Z") }] }, // Fort-de-France, UTC−4
    { inseeCode: "2A004", attempts: [{ outcome: "reached", agentId, at: new Date("2026-03-03T09:15:00Z") }] }, // Ajaccio, Paris time (UTC+1 in March)
  ]);
  report = await reachByTime(pgPool(), campaign.id);
});

describe("reach by time", () => {
  it("counts each call at the patient's local hour", () => {
    const hours = Object.fromEntries(report.byHour.filter((h) => h.calls).map((h) => [h.hour, h.calls]));
    expect(hours).toEqual({ 10: 2, 19: 1 });
    expect(report.byHour[10]).toEqual({ hour: 10, calls: 2, reached: 2, rate: 100 });
  });

  it("and on the patient's local weekday", () => {
    expect(report.byWeekday[0]).toMatchObject({ label: "lundi", calls: 1, reached: 0 });
    expect(report.byWeekday[1]).toMatchObject({ label: "mardi", calls: 2, reached: 2 });
  });
});
