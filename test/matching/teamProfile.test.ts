// The patientèle profile of an MSP team: the named list of the team's patients without MT (audited),
// and the residents around (10 km) as counts by commune and age band, small counts suppressed.
import { calendarDate } from "../../server/organisations/timeZone.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgPool } from "../../server/pgPool.ts";
import { suppress } from "../../server/matching/teamProfile.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { makeGp, makePatient, makePatients, makeTeam } from "../factories/orientations.ts";
import { loginAs, startTestApp, type LoggedIn, type TestApp } from "../helpers/api.ts";

let t: TestApp;
let orgId: string;
let me: LoggedIn;
let teamId: string;
const known: Record<string, string> = {};
let b1: { id: string; rpps: string };
let b2: { id: string; rpps: string };

/** Communes whose point is within 10 km of Saint-Étienne's (42218); Saint-Chamond (42207) is 10.7 km away. */
const AROUND_SAINT_ETIENNE = [
  "42044", "42092", "42095", "42097", "42110", "42172", "42183", "42189", "42218", "42223", "42237", "42275", "42286", "42302", "42305", "42311", "42316", "42330",
];

/** The organisation's day (Paris), `years` years and `days` days back: ages are counted on it, not on UTC's day
 * (they differ before 01:00, when a patient born « tomorrow » in UTC turns 17 today in Paris). */
function yearsAgo(years: number, days = 0): string {
  const [y, m, d] = calendarDate(new Date(), "Europe/Paris").split("-").map(Number);
  return new Date(Date.UTC(y - years, m - 1, d + days)).toISOString().slice(0, 10);
}

beforeAll(async () => {
  t = await startTestApp();
  orgId = (await makeOrganisation()).id;
  me = await loginAs(t.app, "coordinator", orgId);
  teamId = (await makeTeam(orgId, { name: "MSP de Saint-Étienne", inseeCode: "42218" })).id;
  b1 = await makeGp(orgId, { lastName: "MARTIN", firstName: "Jeanne", teamId });
  b2 = await makeGp(orgId, { lastName: "BERNARD", firstName: "Paul", teamId });
  const alone = await makeGp(orgId, { lastName: "SEUL", firstName: "Marc" });

  // (a) patients who see a doctor of the team and have no MT, wherever they live
  known.K1 = (await makePatient(orgId, { lastName: "DURAND", firstName: "Alice", birthDate: "1940-05-05", inseeCode: "42218", relationRpps: b1.rpps, relationVisits: 5, ald: true })).id;
  known.K2 = (await makePatient(orgId, { lastName: "PETIT", firstName: "Luc", birthDate: "1995-06-15", inseeCode: "42095", relationRpps: b2.rpps, relationVisits: 3, ald: false })).id;
  known.K3 = (await makePatient(orgId, { lastName: "ROUX", firstName: "Eva", birthDate: "1970-01-01", inseeCode: "42147", relationRpps: b1.rpps, relationVisits: null })).id;
  await makePatient(orgId, { lastName: "AVECMT", birthDate: "1960-01-01", relationRpps: b1.rpps, relationVisits: 8, hasMt: true });

  // (b) Saint-Étienne: 17–39: 12 (one turns 17 today, one sees a doctor outside the team); 40–59: 6; 60–69: 5; 70–79: 3; 80+: 7
  await makePatients(orgId, 10, { birthDate: "1995-06-15", inseeCode: "42218" });
  await makePatient(orgId, { birthDate: "1996-02-01", inseeCode: "42218", relationRpps: alone.rpps, relationVisits: 4 });
  await makePatient(orgId, { birthDate: yearsAgo(17), inseeCode: "42218" });
  await makePatients(orgId, 6, { birthDate: "1975-06-15", inseeCode: "42218" });
  await makePatients(orgId, 5, { birthDate: "1961-01-10", inseeCode: "42218" });
  await makePatients(orgId, 3, { birthDate: "1952-06-15", inseeCode: "42218" });
  await makePatients(orgId, 7, { birthDate: "1935-06-15", inseeCode: "42218" });
  // not counted: 17 tomorrow, has an MT
  await makePatient(orgId, { birthDate: yearsAgo(17, 1), inseeCode: "42218" });
  await makePatients(orgId, 2, { birthDate: "1950-01-01", inseeCode: "42218", hasMt: true });
  // Firminy (9.3 km): 4 adults → all suppressed; Saint-Chamond (10.7 km): outside
  await makePatients(orgId, 4, { birthDate: "1980-03-03", inseeCode: "42095" });
  await makePatients(orgId, 10, { birthDate: "1980-03-03", inseeCode: "42207" });

  // Another organisation's patients of a doctor with the same RPPS, and its own team
  const other = (await makeOrganisation()).id;
  await makeGp(other, { rpps: b1.rpps });
  await makePatient(other, { lastName: "AILLEURS", relationRpps: b1.rpps, relationVisits: 9 });
  await makePatients(other, 6, { birthDate: "1995-06-15", inseeCode: "42218" });
});
afterAll(() => t.close());

describe("team patientèle profile", () => {
  it("names the organisation's patients who see a team doctor without MT, and audits each one", async () => {
    const res = await me.agent.get(`/api/teams/${teamId}/profile`).expect(200);
    expect(res.body.team).toEqual({ id: teamId, name: "MSP de Saint-Étienne", inseeCode: "42218", communeName: "Saint-Étienne" });
    expect(res.body.patients.count).toBe(3);
    expect(res.body.patients.items.map((p: { id: string }) => p.id)).toEqual([known.K1, known.K2, known.K3]); // most visits first
    expect(res.body.patients.items[0]).toMatchObject({
      lastName: "DURAND", firstName: "Alice", birthDate: "1940-05-05", commune: { inseeCode: "42218", name: "Saint-Étienne" }, ald: true, visits: 5,
      doctor: { rpps: b1.rpps, lastName: "MARTIN", firstName: "Jeanne" },
    });
    expect(res.body.patients.items[1]).toMatchObject({ commune: { inseeCode: "42095", name: "Firminy" }, ald: false, visits: 3, doctor: { rpps: b2.rpps } });
    const { rows } = await pgPool().query(
      `SELECT "targetId", "actorUserId", "details" FROM "AuditLog" WHERE "organisationId" = $1 AND "action" = 'patient.identity.read' ORDER BY "targetId"`, [orgId]);
    expect(rows.map((r) => r.targetId)).toEqual([known.K1, known.K2, known.K3].sort());
    expect(rows[0]).toMatchObject({ actorUserId: me.user.id, details: { via: "team_profile", teamId } });
  });

  it("counts the residents without MT aged 17+ within 10 km by commune and age band, suppressing small counts", async () => {
    const res = await me.agent.get(`/api/teams/${teamId}/profile`).expect(200);
    const { residents } = res.body;
    expect(residents).toMatchObject({ radiusKm: 10, minAge: 17, threshold: 5, bands: ["17-39", "40-59", "60-69", "70-79", "80+"] });
    expect(residents.communes.map((c: { inseeCode: string }) => c.inseeCode).sort()).toEqual(AROUND_SAINT_ETIENNE);
    expect(residents.communes[0]).toMatchObject({ inseeCode: "42218", name: "Saint-Étienne", distanceKm: 0 });
    const byCode = Object.fromEntries(residents.communes.map((c: { inseeCode: string }) => [c.inseeCode, c]));
    expect(byCode["42218"].total).toEqual({ count: 33, suppressed: false, label: "33" });
    expect(byCode["42218"].bands).toEqual([
      { band: "17-39", count: 12, suppressed: false, label: "12" },
      { band: "40-59", count: 6, suppressed: false, label: "6" },
      // the smallest shown band is hidden too, or 33 − 12 − 6 − 7 − 5 would give the 3 away
      { band: "60-69", count: null, suppressed: true, label: "masqué" },
      { band: "70-79", count: null, suppressed: true, label: "< 5" },
      { band: "80+", count: 7, suppressed: false, label: "7" },
    ]);
    expect(byCode["42095"].distanceKm).toBe(9.3);
    expect(byCode["42095"].total).toEqual({ count: null, suppressed: true, label: "< 5" });
    expect(byCode["42095"].bands.every((b: { count: number | null; suppressed: boolean }) => b.count === null && b.suppressed)).toBe(true);
    expect(byCode["42330"].total).toEqual({ count: null, suppressed: true, label: "< 5" }); // nobody: not told apart from a few
    expect(JSON.stringify(residents)).not.toMatch(/"count":[0-4][,}]/);
  });

  it("suppresses every count below 5, and one more (or the total) only when the total would give a band away", () => {
    const labels = (counts: number[]) => { const s = suppress(counts); return [...s.bands.map((b: { label: string }) => b.label), s.total.label]; };
    expect(labels([12, 6, 5, 3, 7])).toEqual(["12", "6", "masqué", "< 5", "7", "33"]);
    expect(labels([12, 6, 0, 3, 7])).toEqual(["12", "6", "< 5", "< 5", "7", "28"]);
    expect(labels([5, 5, 5, 5, 5])).toEqual(["5", "5", "5", "5", "5", "25"]);
    expect(labels([1, 1, 1, 1, 0])).toEqual(["< 5", "< 5", "< 5", "< 5", "< 5", "< 5"]);
    expect(labels([2, 0, 0, 0, 3])).toEqual(["< 5", "< 5", "< 5", "< 5", "< 5", "5"]);
    // two bands below 5 that the total pins down (4 + 4 = 33 − 25): one more is masked
    expect(labels([5, 4, 6, 14, 4])).toEqual(["masqué", "< 5", "6", "14", "< 5", "33"]);
    // nothing else to mask: the total goes
    expect(labels([4, 4, 4, 4, 4])).toEqual(["< 5", "< 5", "< 5", "< 5", "< 5", "masqué"]);
    expect(labels([4, 4, 0, 0, 0])).toEqual(["< 5", "< 5", "< 5", "< 5", "< 5", "8"]); // 8 over five bands of 0 to 4: nothing pinned down
  });

  it("answers 404 for a team of another organisation, and audits nothing", async () => {
    const other = (await makeOrganisation()).id;
    const foreign = await makeTeam(other, { inseeCode: "42218" });
    const before = Number((await pgPool().query(`SELECT count(*) AS n FROM "AuditLog" WHERE "action" = 'patient.identity.read'`)).rows[0].n);
    const res = await me.agent.get(`/api/teams/${foreign.id}/profile`).expect(404);
    expect(res.body.error.message).toBe("Équipe introuvable.");
    await me.agent.get(`/api/teams/pas-un-uuid/profile`).expect(400);
    expect(Number((await pgPool().query(`SELECT count(*) AS n FROM "AuditLog" WHERE "action" = 'patient.identity.read'`)).rows[0].n)).toBe(before);
  });
});
