// The campaign report on seeded data: every number asserted exactly, the funnel nested stage by stage.
import { beforeAll, describe, expect, it } from "vitest";
import { pgPool } from "../../server/pgPool.ts";
import { db } from "../../server/db.ts";
import { campaignFunnel, campaignFunnels, FUNNEL_STAGES } from "../../server/reports/campaignFunnel.ts";
import { loadCampaignReport, type CampaignReport } from "../../server/reports/loadCampaignReport.ts";
import { beforeAfter } from "../../server/reports/beforeAfter.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { makeGp, makeTeam } from "../factories/matching.ts";
import { makeStories, parisWinter, type Story } from "../factories/reports.ts";

const ENROLLED = new Date("2026-03-02T08:00:00Z");
const daysAfter = (d: number) => new Date(ENROLLED.getTime() + d * 86_400_000);
const minutes = (base: string, m: number) => new Date(parisWinter(base).getTime() + m * 60_000);

let orgId: string;
let campaignId: string;
let report: CampaignReport;
let agentA: string;
let agentB: string;
let gpId: string;
let teamId: string;

beforeAll(async () => {
  const org = await makeOrganisation();
  orgId = org.id;
  const campaign = await makeCampaign(orgId);
  campaignId = campaign.id;
  agentA = (await makeUser(orgId, "agent", { name: "Agent A" })).user.id;
  agentB = (await makeUser(orgId, "agent", { name: "Agent B" })).user.id;
  gpId = (await makeGp(orgId, { lastName: "MARTIN", capacity: 5 })).id;
  teamId = (await makeTeam(orgId, { name: "MSP des Tilleuls", capacity: 10 })).id;

  // Agent A's reached calls, Tuesday 3 March 2026 from 10:00 (Paris), 4 minutes apart, 2 minutes each, 90 s of talk.
  let slot = 0;
  const reachedCall = () => ({ outcome: "reached", agentId: agentA, at: minutes("2026-03-03T10:00:00", 4 * slot++), durationSeconds: 90, handleSeconds: 120 });
  // Agent B's unanswered calls, Wednesday 4 March from 18:00, 2 minutes apart, 1 minute each.
  let slotB = 0;
  const missedCall = (outcome: string) => ({ outcome, agentId: agentB, at: minutes("2026-03-04T18:00:00", 2 * slotB++), handleSeconds: 60 });
  const share = (granted: boolean, at = daysAfter(1)) => ({ purpose: "share_identity" as const, granted, at });
  const oriented = (o: NonNullable<Story["orientation"]>): Story => ({ attempts: [reachedCall()], consents: [share(true)], orientation: o });

  const raw: Story[] = [
    // 4 not eligible (in another commune); the first one was even called, reached and consented: it must count nowhere after "imported".
    { eligible: false, inseeCode: "42095", attempts: [reachedCall()], consents: [share(true)] },
    { eligible: false, inseeCode: "42095" },
    { eligible: false, inseeCode: "42095" },
    { eligible: false },
    // 6 eligible never called, one of them with a call in progress (no outcome yet)
    {}, {}, {}, {}, {},
    { attempts: [{ outcome: null, agentId: agentB, at: parisWinter("2026-03-04T18:40:00") }] },
    // 8 called, never reached
    ...Array.from({ length: 4 }, () => ({ attempts: [missedCall("no_answer"), missedCall("voicemail")] })),
    ...Array.from({ length: 4 }, () => ({ attempts: [missedCall("busy")] })),
    // 12 reached: 4 without a current share_identity consent…
    { attempts: [reachedCall()] },
    { attempts: [reachedCall()], consents: [{ purpose: "mt_declaration", granted: true, at: daysAfter(1) }] },
    { attempts: [reachedCall()], consents: [share(false)] },
    { attempts: [reachedCall()], consents: [share(true, daysAfter(1)), share(false, daysAfter(2))] },
    // …8 consented, 2 of them not oriented…
    { attempts: [reachedCall()], consents: [share(true)] },
    { attempts: [reachedCall()], consents: [share(true)] },
    // …6 oriented: declined, expired, waiting, and 3 confirmed of which 2 declared
    oriented({ status: "declined", gpId: "GP", bookedById: "A", reservedAt: daysAfter(20), answeredAt: daysAfter(22) }),
    oriented({ status: "expired", gpId: "GP", bookedById: "A", reservedAt: daysAfter(40) }),
    oriented({ status: "reserved", teamId: "TEAM", bookedById: "A", reservedAt: daysAfter(1) }),
    oriented({ status: "confirmed", teamId: "TEAM", bookedById: "A", reservedAt: daysAfter(3), answeredAt: daysAfter(5), declaration: { status: "declared", answeredAt: daysAfter(12) } }),
    oriented({ status: "confirmed", teamId: "TEAM", bookedById: "A", reservedAt: daysAfter(10), answeredAt: daysAfter(11), declaration: { status: "declared", answeredAt: daysAfter(45) } }),
    oriented({ status: "confirmed", teamId: "TEAM", bookedById: "A", reservedAt: daysAfter(100), answeredAt: daysAfter(101), declaration: { status: "sent" } }),
  ];
  const stories: Story[] = raw.map((s) => ({
    ...s,
    enrolledAt: ENROLLED,
    ...(s.orientation ? { orientation: { ...s.orientation, gpId: s.orientation.gpId && gpId, teamId: s.orientation.teamId && teamId, bookedById: agentA } } : {}),
  }));
  await makeStories(orgId, campaignId, stories);
  report = await loadCampaignReport(pgPool(), await db().campaign.findUniqueOrThrow({ where: { id: campaignId } }));
});

describe("campaign funnel", () => {
  it("counts each stage exactly, each a subset of the one before", async () => {
    const expected = { imported: 30, eligible: 26, called: 20, reached: 12, consented: 8, oriented: 6, confirmed: 3, declared: 2 };
    expect(await campaignFunnel(pgPool(), campaignId)).toEqual(expected);
    expect(report.funnel.counts).toEqual(expected);
    const counts = FUNNEL_STAGES.map((s) => expected[s.key]);
    counts.slice(1).forEach((n, i) => expect(n).toBeLessThanOrEqual(counts[i]));
  });

  it("gives the rates of each stage against the one before and the imported patients", () => {
    const reached = report.funnel.stages.find((s) => s.stage === "reached")!;
    expect(reached).toMatchObject({ count: 12, ofPrevious: 60, ofImported: 40 });
    expect(report.funnel.stages[0]).toMatchObject({ count: 30, ofPrevious: null, ofImported: 100 });
    expect(report.funnel.stages.find((s) => s.stage === "declared")).toMatchObject({ ofPrevious: 66.7, ofImported: 6.7 });
    expect(report.funnel.note).toMatch(/transmission de l'identité/);
  });

  it("gives zeros for a campaign without patients, and several funnels in one call", async () => {
    const empty = await makeCampaign(orgId);
    const many = await campaignFunnels(pgPool(), [campaignId, empty.id]);
    expect(many.get(empty.id)).toEqual({ imported: 0, eligible: 0, called: 0, reached: 0, consented: 0, oriented: 0, confirmed: 0, declared: 0 });
    expect(many.get(campaignId)!.declared).toBe(2);
  });
});

describe("campaign report", () => {
  it("outcomes by attempt number add up to the attempts with an outcome", () => {
    const rows = Object.fromEntries(report.outcomesByAttempt.rows.map((r) => [r.attemptNumber, r]));
    expect(rows[1].total).toBe(21);
    expect(rows[1].counts).toMatchObject({ reached: 13, no_answer: 4, busy: 4 });
    expect(rows[2]).toMatchObject({ total: 4, counts: { voicemail: 4, reached: 0 } });
    expect(report.outcomesByAttempt.outcomes.map((o) => o.label)).toContain("Messagerie");
  });

  it("reach rate by hour and weekday, Paris time", () => {
    expect(report.reachByTime.byHour[10]).toEqual({ hour: 10, calls: 13, reached: 13, rate: 100 });
    expect(report.reachByTime.byHour[18]).toEqual({ hour: 18, calls: 12, reached: 0, rate: 0 });
    expect(report.reachByTime.byHour[9]).toEqual({ hour: 9, calls: 0, reached: 0, rate: null });
    expect(report.reachByTime.byWeekday[1]).toMatchObject({ label: "mardi", calls: 13, reached: 13 });
    expect(report.reachByTime.byWeekday[2]).toMatchObject({ label: "mercredi", calls: 12, reached: 0 });
  });

  it("per agent: calls, reached, talk and handle time, occupancy, orientations", () => {
    const a = report.agents.find((x) => x.agentId === agentA)!;
    const b = report.agents.find((x) => x.agentId === agentB)!;
    // A: 13 calls from 10:00 to 10:48 + 2 min → span 50 min; 13 × 2 min handled → 52 %
    expect(a).toMatchObject({ name: "Agent A", calls: 13, reached: 13, reachRate: 100, talkSeconds: 1170, handleSeconds: 1560, occupancy: 52, oriented: 6 });
    // B: 12 calls from 18:00 to 18:22 + 1 min → span 23 min; 12 min handled → 52.2 %
    expect(b).toMatchObject({ calls: 12, reached: 0, talkSeconds: 0, handleSeconds: 720, occupancy: 52.2, oriented: 0 });
  });

  it("per GP and team: proposed, confirmed, declined, expired, waiting, capacity used", () => {
    expect(report.holders.find((h) => h.holderId === teamId)).toMatchObject({ kind: "team", name: "MSP des Tilleuls", proposed: 4, confirmed: 3, declined: 0, waiting: 1, capacity: 10, taken: 4 });
    expect(report.holders.find((h) => h.holderId === gpId)).toMatchObject({ kind: "gp", proposed: 2, confirmed: 0, declined: 1, expired: 1, waiting: 0, capacity: 5, taken: 0 });
  });

  it("per commune, small counts suppressed (and a second cell masked so the total does not give it away)", () => {
    const byCode = Object.fromEntries(report.communes.rows.map((r) => [r.inseeCode, r.cells]));
    expect(byCode["42095"].imported).toEqual({ count: null, label: "< 5" });
    expect(byCode["42218"].imported).toEqual({ count: null, label: "masqué" });
    expect(report.communes.totals.imported).toEqual({ count: 30, label: "30" });
    expect(byCode["42095"].eligible).toEqual({ count: 0, label: "0" });
    expect(byCode["42218"].eligible).toEqual({ count: 26, label: "26" });
    expect(byCode["42218"].declared).toEqual({ count: null, label: "< 5" });
  });

  it("time from import to orientation", () => {
    // first orientation 1, 3, 10, 20, 40 and 100 days after the import
    expect(report.timeToOrientation).toMatchObject({ count: 6, medianDays: 15, p90Days: 70 });
    expect(report.timeToOrientation.buckets.map((b) => b.count)).toEqual([2, 1, 1, 1, 0, 1]);
  });
});

describe("before / after", () => {
  it("counts oriented, confirmed and declared in the period and the one before, per MSP", async () => {
    const march = await beforeAfter(pgPool(), orgId, { from: "2026-03-01", to: "2026-03-31" });
    expect(march.period.days).toBe(31);
    expect(march.previous).toEqual({ from: "2026-01-29", to: "2026-02-28" });
    expect(march.total.after).toEqual({ oriented: 4, confirmed: 2, declared: 1 });
    expect(march.total.before).toEqual({ oriented: 0, confirmed: 0, declared: 0 });
    expect(march.rows.find((r) => r.teamId === teamId)!.after).toEqual({ oriented: 3, confirmed: 2, declared: 1 });
    expect(march.rows.find((r) => r.teamId === null)).toMatchObject({ label: "Médecins hors MSP", after: { oriented: 1, confirmed: 0, declared: 0 } });

    const april = await beforeAfter(pgPool(), orgId, { from: "2026-04-01", to: "2026-04-30" });
    expect(april.total.after).toEqual({ oriented: 1, confirmed: 0, declared: 1 });
    expect(april.total.before).toEqual({ oriented: 4, confirmed: 2, declared: 1 });
  });
});
