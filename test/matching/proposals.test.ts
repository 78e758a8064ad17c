// Proposals: who comes first, who is left out, and the distance limit.
import { describe, expect, it } from "vitest";
import { findCandidates } from "../../server/matching/findCandidates.ts";
import { pgPool } from "../../server/pgPool.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { holdFor, makeGp, makeTeam, pointNear } from "../factories/matching.ts";

async function patientIn(campaignType: "ald_sans_mt" | "retirement" = "ald_sans_mt", leavingGpRpps?: string) {
  const org = await makeOrganisation();
  const campaign = await makeCampaign(org.id, { type: campaignType, ...(leavingGpRpps ? { leavingGpRpps } : {}) } as never);
  const [e] = await makeEnrolledPatients(org.id, campaign.id, 1, { inseeCode: "42218" });
  return { org, campaign, enrolment: e };
}
const propose = async (organisationId: string, enrolmentId: string) => (await findCandidates(pgPool(), { organisationId, enrolmentId })).candidates;

describe("proposals", () => {
  it("nearest first within the campaign's limit; full, closed, non-ALD and leaving GPs left out; GPs of a team proposed through it", async () => {
    const { org, enrolment } = await patientIn();
    const at = (km: number) => pointNear("42218", km);
    const near = await makeGp(org.id, { lastName: "PROCHE", ...at(2) });
    const far = await makeGp(org.id, { lastName: "LOIN", ...at(12) });
    await makeGp(org.id, { lastName: "HORS_LIMITE", ...at(20) });
    await makeGp(org.id, { lastName: "COMPLET", capacity: 0, ...at(1) });
    await makeGp(org.id, { lastName: "FERME", acceptsNew: false, ...at(1) });
    await makeGp(org.id, { lastName: "SANS_ALD", acceptsAld: false, ...at(1) });
    await makeGp(org.id, { lastName: "PARTANT", endOfActivity: new Date(Date.now() + 30 * 86_400_000), ...at(1) });
    const team = await makeTeam(org.id, { name: "MSP du Centre", ...at(5) });
    await makeGp(org.id, { lastName: "MEMBRE", teamId: team.id, ...at(0.5) });
    const other = await makeOrganisation();
    await makeGp(other.id, { lastName: "AUTRE_ORG", ...at(0.1) });

    const got = await propose(org.id, enrolment.id);
    expect(got.map((c) => c.name)).toEqual(["PROCHE Test", "MSP du Centre", "LOIN Test"]);
    expect(got.map((c) => c.kind)).toEqual(["gp", "team", "gp"]);
    expect(got[0]).toMatchObject({ id: near.id, basis: "distance", capacityLeft: 5, communeName: "Saint-Étienne" });
    expect(got[0].distanceKm).toBeCloseTo(2, 0);
    expect(got[2]).toMatchObject({ id: far.id });
    expect(got[1].doctors).toBe(1);
    // the campaign's limit moves with its setting
    await pgPool().query(`UPDATE "Campaign" SET "maxDistanceKm" = 25 WHERE "id" = (SELECT "campaignId" FROM "Enrolment" WHERE "id" = $1)`, [enrolment.id]);
    expect((await propose(org.id, enrolment.id)).map((c) => c.name)).toContain("HORS_LIMITE Test");
  });

  it("a GP the patient already sees comes first, even far away; then, in a retirement campaign, the leaving GP's team", async () => {
    const leavingTeam = { name: "MSP des Tilleuls" };
    const { org, enrolment, campaign } = await patientIn("retirement", "11111111111");
    const team = await makeTeam(org.id, { ...leavingTeam, ...pointNear("42218", 9) });
    await makeGp(org.id, { rpps: "11111111111", lastName: "PARTANT", teamId: team.id });
    await makeGp(org.id, { lastName: "VOISIN", ...pointNear("42218", 1) });
    const usual = await makeGp(org.id, { rpps: "22222222222", lastName: "HABITUEL", ...pointNear("42218", 40) });
    await pgPool().query(`UPDATE "Patient" SET "relationRpps" = '22222222222' WHERE "id" = $1`, [enrolment.patientId]);
    const got = await propose(org.id, enrolment.id);
    expect(got.map((c) => [c.name, c.basis])).toEqual([["HABITUEL Test", "relation"], ["MSP des Tilleuls", "retirement_team"], ["VOISIN Test", "distance"]]);
    expect(got[0].id).toBe(usual.id);
    expect(got[0].note).toBe("Le patient consulte déjà ce médecin.");
    expect(got[1].note).toBe("Équipe du médecin qui cesse son activité.");
    expect(campaign.type).toBe("retirement");
  });

  it("a GP who declined this patient, or let the reservation expire, is not proposed again", async () => {
    const { org, campaign, enrolment } = await patientIn();
    const gp = await makeGp(org.id, { lastName: "REFUS" });
    await makeGp(org.id, { lastName: "AUTRE", ...pointNear("42218", 3) });
    await pgPool().query(
      `INSERT INTO "Orientation" ("id", "organisationId", "campaignId", "enrolmentId", "patientId", "gpId", "basis", "bookedById", "expiresAt", "status")
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, 'distance', gen_random_uuid(), now(), 'reserved')`, [org.id, campaign.id, enrolment.id, enrolment.patientId, gp.id]);
    await pgPool().query(`UPDATE "Orientation" SET "status" = 'declined' WHERE "gpId" = $1`, [gp.id]);
    expect((await propose(org.id, enrolment.id)).map((c) => c.name)).toEqual(["AUTRE Test"]);
  });

  it("an overseas patient gets the GPs of their island, not the mainland's", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id);
    const [e] = await makeEnrolledPatients(org.id, campaign.id, 1, { inseeCode: "97411" });
    await makeGp(org.id, { lastName: "SAINT_DENIS", inseeCode: "97411", ...pointNear("97411", 3) });
    await makeGp(org.id, { lastName: "PARIS", inseeCode: "75056", ...pointNear("75056") });
    expect((await propose(org.id, e.id)).map((c) => c.name)).toEqual(["SAINT_DENIS Test"]);
  });

  it("the agent's console: the patient they hold, their live orientation and reason to re-propose, in the same answer; none held is a clear 409", async () => {
    const { org, campaign, enrolment } = await patientIn();
    const gp = await makeGp(org.id, { lastName: "PROCHE", ...pointNear("42218", 2) });
    const { user } = await makeUser(org.id, "agent");
    const agent = { organisationId: org.id, heldBy: user.id };
    await expect(findCandidates(pgPool(), agent)).rejects.toMatchObject({ code: "no_patient", status: 409 });

    await holdFor(enrolment.id, user.id);
    await pgPool().query(`UPDATE "Enrolment" SET "reorientReason" = 'Refus de X' WHERE "id" = $1`, [enrolment.id]);
    const before = await findCandidates(pgPool(), agent);
    expect(before).toMatchObject({ orientation: null, reorientReason: "Refus de X", context: { enrolmentId: enrolment.id, maxDistanceKm: 15 } });
    expect(before.context.lat).toBeCloseTo(pointNear("42218").lat, 6);
    expect(before.candidates).toEqual(await propose(org.id, enrolment.id));

    await pgPool().query(
      `INSERT INTO "Orientation" ("id", "organisationId", "campaignId", "enrolmentId", "patientId", "gpId", "basis", "distanceKm", "bookedById", "expiresAt")
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, 'distance', 2, $6, now() + interval '14 days')`, [org.id, campaign.id, enrolment.id, enrolment.patientId, gp.id, user.id]);
    const after = await findCandidates(pgPool(), agent);
    expect(after.orientation).toMatchObject({ status: "reserved", basis: "distance", distanceKm: 2, holderName: "Dr PROCHE", kind: "gp" });
    expect(after.orientation?.reservedAt).toBeInstanceOf(Date);
  });
});
