// Rule 2 with real concurrency: reserved + confirmed never exceed a GP's or team's capacity.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookOrientation } from "../../server/matching/bookOrientation.ts";
import { answerOrientation } from "../../server/matching/answerOrientation.ts";
import { declareCapacity } from "../../server/matching/declareCapacity.ts";
import { expireReservations } from "../../server/matching/expireReservations.ts";
import { refreshLeavingTeams, refreshTeams } from "../../server/matching/refreshTeams.ts";
import { LEAVING_SOON_DAYS } from "../../server/matching/stillPractising.ts";
import { inTransaction, pgPool } from "../../server/pgPool.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { holdFor, openCallFor, makeGp, makeTeam, recordConsentFor } from "../factories/matching.ts";
import { AppError } from "../../server/errors.ts";
import { recordOutcome } from "../../server/dialer/recordOutcome.ts";
import { loadScript } from "../../server/consent/loadScript.ts";
import { recordConsent } from "../../server/consent/recordConsent.ts";
import { erasePatients } from "../../server/privacy/erasePatients.ts";

let pool: pg.Pool;
beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 40 });
});
afterAll(() => pool.end());

/** n agents, each holding one patient who agreed to share their identity. */
async function agentsHoldingPatients(n: number) {
  const org = await makeOrganisation();
  const campaign = await makeCampaign(org.id, { status: "running" } as never);
  const enrolled = await makeEnrolledPatients(org.id, campaign.id, n);
  const agents = [];
  for (const e of enrolled) {
    const { user } = await makeUser(org.id, "agent");
    await holdFor(e.id, user.id);
    await openCallFor(e.id, user.id);
    await recordConsentFor(org.id, e.patientId);
    agents.push({ id: user.id, organisationId: org.id, enrolmentId: e.id, patientId: e.patientId });
  }
  return { org, campaign, agents };
}

const book = (agent: { id: string; organisationId: string }, holder: { kind: "gp" | "team"; id: string }) =>
  inTransaction((c) => bookOrientation(c, agent, holder), pool).then(() => "booked", (e: unknown) => (e instanceof AppError ? e.code : String(e)));

const takenOf = async (table: "Gp" | "Team", id: string) => (await pgPool().query(`SELECT "taken", "capacity" FROM "${table}" WHERE "id" = $1`, [id])).rows[0];
const liveCount = async (column: "gpId" | "teamId", id: string) =>
  Number((await pgPool().query(`SELECT count(*) AS n FROM "Orientation" WHERE "${column}" = $1 AND "status" IN ('reserved', 'confirmed')`, [id])).rows[0].n);

describe("booking a place (rule 2)", () => {
  it("1,000 concurrent bookings on 10 places: exactly 10 reservations, the others refused with a clear reason", async () => {
    const { org, agents } = await agentsHoldingPatients(1000);
    const gp = await makeGp(org.id, { capacity: 10 });
    const results = await Promise.all(agents.map((a) => book(a, { kind: "gp", id: gp.id })));
    expect(results.filter((r) => r === "booked")).toHaveLength(10);
    expect(new Set(results.filter((r) => r !== "booked"))).toEqual(new Set(["no_place_left"]));
    expect(await takenOf("Gp", gp.id)).toEqual({ taken: 10, capacity: 10 });
    expect(await liveCount("gpId", gp.id)).toBe(10);
  });

  it("a team's capacity is held at team level, under the same concurrency", async () => {
    const { org, agents } = await agentsHoldingPatients(60);
    const team = await makeTeam(org.id, { capacity: 7 });
    await makeGp(org.id, { teamId: team.id, capacity: 50 });
    const results = await Promise.all(agents.map((a) => book(a, { kind: "team", id: team.id })));
    expect(results.filter((r) => r === "booked")).toHaveLength(7);
    expect(await takenOf("Team", team.id)).toEqual({ taken: 7, capacity: 7 });
  });

  it("capacity lowered below the places taken keeps the reservations and refuses new bookings; raised again, booking works", async () => {
    const { org, agents } = await agentsHoldingPatients(4);
    const gp = await makeGp(org.id, { capacity: 3 });
    for (const a of agents.slice(0, 3)) expect(await book(a, { kind: "gp", id: gp.id })).toBe("booked");
    await inTransaction((c) => declareCapacity(c, { kind: "gp", id: gp.id, organisationId: org.id }, { acceptsNew: true, capacity: 1, acceptsAld: true }, { userId: null, label: "test" }));
    expect(await takenOf("Gp", gp.id)).toEqual({ taken: 3, capacity: 1 });
    expect(await liveCount("gpId", gp.id)).toBe(3);
    expect(await book(agents[3], { kind: "gp", id: gp.id })).toBe("no_place_left");
    await inTransaction((c) => declareCapacity(c, { kind: "gp", id: gp.id, organisationId: org.id }, { acceptsNew: true, capacity: 4, acceptsAld: true }, { userId: null, label: "test" }));
    expect(await book(agents[3], { kind: "gp", id: gp.id })).toBe("booked");
  });

  it("a doctor of a team who declares their places changes the team's pooled capacity (until the team declares its own)", async () => {
    const org = await makeOrganisation();
    const team = await makeTeam(org.id, { capacity: 0 });
    await pgPool().query(`UPDATE "Team" SET "capacityDeclaredAt" = NULL WHERE "id" = $1`, [team.id]);
    const a = await makeGp(org.id, { teamId: team.id, capacity: 3 });
    await makeGp(org.id, { teamId: team.id, capacity: 2 });
    const declare = (capacity: number) => inTransaction((c) => declareCapacity(c, { kind: "gp", id: a.id, organisationId: org.id }, { acceptsNew: capacity > 0, capacity, acceptsAld: true }, { userId: null, label: "test" }));
    await declare(4);
    expect(await takenOf("Team", team.id)).toEqual({ taken: 0, capacity: 6 });
    await declare(0);
    expect(await takenOf("Team", team.id)).toEqual({ taken: 0, capacity: 2 });
  });

  it("a doctor whose end of activity comes near stops adding places to the team's pool, with no roster nor declaration: the hourly job", async () => {
    const org = await makeOrganisation();
    const team = await makeTeam(org.id, { capacity: 0 });
    await pgPool().query(`UPDATE "Team" SET "capacityDeclaredAt" = NULL WHERE "id" = $1`, [team.id]);
    await makeGp(org.id, { teamId: team.id, capacity: 3 });
    const leaving = await makeGp(org.id, { teamId: team.id, capacity: 2, endOfActivity: new Date(Date.now() + (LEAVING_SOON_DAYS + 2) * 86_400_000) });
    await inTransaction((c) => refreshTeams(c, [team.id]));
    expect(await takenOf("Team", team.id)).toEqual({ taken: 0, capacity: 5 });
    const version = async () => (await pgPool().query(`SELECT xmin::text AS v FROM "Team" WHERE "id" = $1`, [team.id])).rows[0].v as string;
    const before = await version();
    await inTransaction((c) => refreshLeavingTeams(c));
    expect(await version()).toBe(before); // nothing changed: the team is not written
    // two days later, as far as the end of activity is concerned
    await pgPool().query(`UPDATE "Gp" SET "endOfActivity" = "endOfActivity" - 3 WHERE "id" = $1`, [leaving.id]);
    expect(await inTransaction((c) => refreshLeavingTeams(c))).toBeGreaterThanOrEqual(1);
    expect(await takenOf("Team", team.id)).toEqual({ taken: 0, capacity: 3 });
  });

  it("booking a GP as if it were a team (or the reverse) is refused as not found, not a 500", async () => {
    const { org, agents } = await agentsHoldingPatients(1);
    const gp = await makeGp(org.id);
    expect(await book(agents[0], { kind: "team", id: gp.id })).toBe("not_found");
  });

  it("the database itself refuses a place past capacity, whatever the code path", async () => {
    const { org, campaign, agents } = await agentsHoldingPatients(2);
    const gp = await makeGp(org.id, { capacity: 1 });
    const insert = (a: (typeof agents)[number]) => pgPool().query(
      `INSERT INTO "Orientation" ("id", "organisationId", "campaignId", "enrolmentId", "patientId", "gpId", "basis", "bookedById", "expiresAt")
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, 'distance', $6, now() + interval '1 day')`, [org.id, campaign.id, a.enrolmentId, a.patientId, gp.id, a.id]);
    await insert(agents[0]);
    await expect(insert(agents[1])).rejects.toThrow(/no_place_left/);
  });

  it("a patient has at most one live orientation, even with 20 bookings at once", async () => {
    const { org, agents } = await agentsHoldingPatients(1);
    const gps = await Promise.all(Array.from({ length: 20 }, () => makeGp(org.id, { capacity: 5 })));
    const results = await Promise.all(gps.map((g) => book(agents[0], { kind: "gp", id: g.id })));
    expect(results.filter((r) => r === "booked")).toHaveLength(1);
    expect(new Set(results.filter((r) => r !== "booked"))).toEqual(new Set(["already_oriented"]));
    const live = await pgPool().query(`SELECT count(*) AS n FROM "Orientation" WHERE "patientId" = $1 AND "status" IN ('reserved', 'confirmed')`, [agents[0].patientId]);
    expect(Number(live.rows[0].n)).toBe(1);
    const taken = await pgPool().query(`SELECT sum("taken") AS n FROM "Gp" WHERE "id" = ANY($1::uuid[])`, [gps.map((g) => g.id)]);
    expect(Number(taken.rows[0].n)).toBe(1);
  });

  it("no booking without the patient's consent to share their identity, nor after its withdrawal", async () => {
    const { org, agents } = await agentsHoldingPatients(1);
    const gp = await makeGp(org.id);
    await recordConsentFor(org.id, agents[0].patientId, "share_identity", false, new Date(Date.now() + 1000));
    expect(await book(agents[0], { kind: "gp", id: gp.id })).toBe("consent_required");
    expect(await takenOf("Gp", gp.id)).toMatchObject({ taken: 0 });
  });

  it("a decline frees the place at once and puts the patient back to re-propose; the same GP is not proposed again", async () => {
    const { org, agents } = await agentsHoldingPatients(2);
    const gp = await makeGp(org.id, { capacity: 1, lastName: "DUPONT" });
    expect(await book(agents[0], { kind: "gp", id: gp.id })).toBe("booked");
    await pgPool().query(`UPDATE "Enrolment" SET "dialState" = 'done', "doneReason" = 'reached', "heldBy" = NULL WHERE "id" = $1`, [agents[0].enrolmentId]);
    expect(await book(agents[1], { kind: "gp", id: gp.id })).toBe("no_place_left");
    const o = (await pgPool().query(`SELECT "id" FROM "Orientation" WHERE "patientId" = $1`, [agents[0].patientId])).rows[0];
    await inTransaction((c) => answerOrientation(c, { organisationId: org.id, userId: null, label: "lien médecin", holder: { gpId: gp.id, teamId: null } }, o.id, { decision: "decline", reason: "patientèle complète" }));
    expect(await takenOf("Gp", gp.id)).toMatchObject({ taken: 0 });
    const e = (await pgPool().query(`SELECT "dialState", "doneReason", "reorientReason" FROM "Enrolment" WHERE "id" = $1`, [agents[0].enrolmentId])).rows[0];
    expect(e).toEqual({ dialState: "waiting", doneReason: null, reorientReason: "Refus de DUPONT Test : patientèle complète" });
    expect(await book(agents[1], { kind: "gp", id: gp.id })).toBe("booked");
    // a second answer to an ended orientation is refused, by the code and by the database
    await expect(inTransaction((c) => answerOrientation(c, { organisationId: org.id, userId: null, label: "x" }, o.id, { decision: "confirm" }))).rejects.toThrow(/déjà refusée/);
    await expect(pgPool().query(`UPDATE "Orientation" SET "status" = 'reserved' WHERE "id" = $1`, [o.id])).rejects.toThrow(/has ended/);
  });

  it("a team confirms a patient by assigning one of its doctors; a doctor of another team, or one leaving, is refused", async () => {
    const { org, agents } = await agentsHoldingPatients(1);
    const team = await makeTeam(org.id, { capacity: 2 });
    const member = await makeGp(org.id, { teamId: team.id });
    const leaving = await makeGp(org.id, { teamId: team.id, endOfActivity: new Date("2026-12-31T00:00:00Z") });
    const stranger = await makeGp(org.id);
    expect(await book(agents[0], { kind: "team", id: team.id })).toBe("booked");
    const o = (await pgPool().query(`SELECT "id" FROM "Orientation" WHERE "patientId" = $1`, [agents[0].patientId])).rows[0];
    const who = { organisationId: org.id, userId: null, label: "lien équipe", holder: { gpId: null, teamId: team.id } };
    await expect(inTransaction((c) => answerOrientation(c, who, o.id, { decision: "confirm" }))).rejects.toThrow(/Choisissez le médecin/);
    await expect(inTransaction((c) => answerOrientation(c, who, o.id, { decision: "confirm", assignedGpId: stranger.id }))).rejects.toThrow(/ne fait pas partie/);
    await expect(inTransaction((c) => answerOrientation(c, who, o.id, { decision: "confirm", assignedGpId: leaving.id })))
      .rejects.toThrow("Ce médecin cesse son activité le 31/12/2026 : il ne prend pas de nouveaux patients. Choisissez un autre médecin de l'équipe.");
    const done = await inTransaction((c) => answerOrientation(c, who, o.id, { decision: "confirm", assignedGpId: member.id }));
    expect(done).toMatchObject({ status: "confirmed", assignedGpId: member.id });
    expect(await takenOf("Team", team.id)).toMatchObject({ taken: 1 });
  });

  it("an unanswered reservation expires after the campaign's delay, frees its place and is listed for follow-up", async () => {
    const { org, agents } = await agentsHoldingPatients(1);
    const gp = await makeGp(org.id, { capacity: 1, lastName: "MARTIN" });
    expect(await book(agents[0], { kind: "gp", id: gp.id })).toBe("booked");
    const o = (await pgPool().query(`SELECT "id", "expiresAt", "reservedAt" FROM "Orientation" WHERE "patientId" = $1`, [agents[0].patientId])).rows[0];
    expect(Math.round((o.expiresAt.getTime() - o.reservedAt.getTime()) / 86_400_000)).toBe(14);
    const statusOf = async () => (await pgPool().query(`SELECT "status" FROM "Orientation" WHERE "id" = $1`, [o.id])).rows[0].status;
    await inTransaction((c) => expireReservations(c, new Date(o.expiresAt.getTime() - 1000)));
    expect(await statusOf()).toBe("reserved");
    await inTransaction((c) => expireReservations(c, new Date(o.expiresAt.getTime() + 1000)));
    expect(await statusOf()).toBe("expired");
    expect(await inTransaction((c) => expireReservations(c, new Date(o.expiresAt.getTime() + 2000)))).toBe(0); // idempotent
    expect(await takenOf("Gp", gp.id)).toMatchObject({ taken: 0 });
    const e = (await pgPool().query(`SELECT "reorientReason" FROM "Enrolment" WHERE "id" = $1`, [agents[0].enrolmentId])).rows[0];
    expect(e.reorientReason).toBe("Réservation chez MARTIN restée sans réponse depuis 14 jours");
  });

  it("no booking before the call: the patient must be on the line", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id, { status: "running" } as never);
    const [e] = await makeEnrolledPatients(org.id, campaign.id, 1);
    const { user } = await makeUser(org.id, "agent");
    await holdFor(e.id, user.id);
    await recordConsentFor(org.id, e.patientId);
    const gp = await makeGp(org.id);
    expect(await book({ id: user.id, organisationId: org.id }, { kind: "gp", id: gp.id })).toBe("conflict");
    expect(await takenOf("Gp", gp.id)).toMatchObject({ taken: 0 });
  });

  it("a later outcome that makes the reservation pointless ends it and frees the place; a GP's refusal does not bring such a patient back", async () => {
    const { org, agents } = await agentsHoldingPatients(4);
    const gp = await makeGp(org.id, { capacity: 4, lastName: "DUPONT" });
    const outcomes = ["deceased", "opposed", "callback", "reached"] as const;
    for (const a of agents) expect(await book(a, { kind: "gp", id: gp.id })).toBe("booked");
    expect(await takenOf("Gp", gp.id)).toMatchObject({ taken: 4 });
    for (const [i, a] of agents.entries()) {
      const { rows: [call] } = await pgPool().query(`SELECT "id" FROM "CallAttempt" WHERE "enrolmentId" = $1 AND "outcome" IS NULL`, [a.enrolmentId]);
      await inTransaction((c) => recordOutcome(c, a, call.id, { outcome: outcomes[i], callbackAt: outcomes[i] === "callback" ? new Date(Date.now() + 86_400_000) : null }));
    }
    const statusOf = async (patientId: string) => (await pgPool().query(`SELECT "status", "declineReason" FROM "Orientation" WHERE "patientId" = $1`, [patientId])).rows[0];
    expect(await statusOf(agents[0].patientId)).toEqual({ status: "cancelled", declineReason: "patient décédé" });
    expect(await statusOf(agents[1].patientId)).toEqual({ status: "cancelled", declineReason: "le patient s'oppose à tout appel" });
    expect((await statusOf(agents[2].patientId)).status).toBe("reserved");
    expect(await takenOf("Gp", gp.id)).toMatchObject({ taken: 2 });
    // the GP declines the two still waiting; only the reached patient goes back to be proposed another GP
    for (const a of agents.slice(2)) {
      const o = (await pgPool().query(`SELECT "id" FROM "Orientation" WHERE "patientId" = $1`, [a.patientId])).rows[0];
      await inTransaction((c) => answerOrientation(c, { organisationId: org.id, userId: null, label: "lien médecin", holder: { gpId: gp.id, teamId: null } }, o.id, { decision: "decline", reason: "complet" }));
    }
    const states = (await pgPool().query(`SELECT "id", "dialState", "doneReason" FROM "Enrolment" WHERE "id" = ANY($1::uuid[])`, [agents.map((a) => a.enrolmentId)])).rows;
    const stateOf = (i: number) => states.find((r) => r.id === agents[i].enrolmentId);
    expect(stateOf(0)).toMatchObject({ dialState: "done", doneReason: "deceased" });
    expect(stateOf(1)).toMatchObject({ dialState: "done", doneReason: "opposed" });
    expect(stateOf(3)).toMatchObject({ dialState: "waiting", doneReason: null });
  });

  it("a GP booked during the call: the patient was reached, an outcome saying otherwise is refused and the reservation stays", async () => {
    const { org, agents: [a] } = await agentsHoldingPatients(1);
    const gp = await makeGp(org.id, { capacity: 2 });
    expect(await book(a, { kind: "gp", id: gp.id })).toBe("booked");
    const { rows: [call] } = await pgPool().query(`SELECT "id" FROM "CallAttempt" WHERE "enrolmentId" = $1 AND "outcome" IS NULL`, [a.enrolmentId]);
    for (const outcome of ["no_answer", "busy", "voicemail", "wrong_number"] as const) {
      const refused = await inTransaction((c) => recordOutcome(c, a, call.id, { outcome })).catch((err: AppError) => err);
      expect(refused, outcome).toMatchObject({ code: "booked_during_call", status: 409, userMessage: expect.stringMatching(/^Une place a été réservée chez un médecin pendant cet appel : le patient a donc été joint/) });
    }
    await inTransaction((c) => recordOutcome(c, a, call.id, { outcome: "reached" }));
    expect((await pgPool().query(`SELECT "status" FROM "Orientation" WHERE "patientId" = $1`, [a.patientId])).rows[0].status).toBe("reserved");
    expect(await takenOf("Gp", gp.id)).toMatchObject({ taken: 1 });
  });

  it("a patient who withdraws their leave to pass on their identity loses the reservation, and the GP the place", async () => {
    const { org, campaign, agents } = await agentsHoldingPatients(1);
    const gp = await makeGp(org.id, { capacity: 1 });
    expect(await book(agents[0], { kind: "gp", id: gp.id })).toBe("booked");
    const script = await loadScript(pgPool(), { id: campaign.id, type: "ald_sans_mt" });
    await inTransaction((c) => recordConsent(c, { ...agents[0], name: "Agent" }, { purpose: "share_identity", granted: false, channel: "phone", scriptVersionId: script.id }));
    expect((await pgPool().query(`SELECT "status" FROM "Orientation" WHERE "patientId" = $1`, [agents[0].patientId])).rows[0].status).toBe("cancelled");
    expect(await takenOf("Gp", gp.id)).toMatchObject({ taken: 0 });
  });

  it("an erased patient's reservation ends and frees its place", async () => {
    const { org, agents } = await agentsHoldingPatients(1);
    const gp = await makeGp(org.id, { capacity: 1 });
    expect(await book(agents[0], { kind: "gp", id: gp.id })).toBe("booked");
    await pgPool().query(`UPDATE "CallAttempt" SET "outcome" = 'reached', "outcomeAt" = now() WHERE "enrolmentId" = $1`, [agents[0].enrolmentId]);
    await pgPool().query(`UPDATE "Enrolment" SET "dialState" = 'done', "doneReason" = 'reached', "heldBy" = NULL, "heldUntil" = NULL WHERE "id" = $1`, [agents[0].enrolmentId]);
    await inTransaction((c) => erasePatients(c, [agents[0].patientId], { organisationId: org.id, reason: "request", actorLabel: "test" }));
    expect((await pgPool().query(`SELECT "status" FROM "Orientation" WHERE "patientId" = $1`, [agents[0].patientId])).rows[0].status).toBe("cancelled");
    expect(await takenOf("Gp", gp.id)).toMatchObject({ taken: 0 });
  });
});
