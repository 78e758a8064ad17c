// GPs, teams, holds and consents for the matching tests.
import { randomInt } from "node:crypto";
import { loadCommunes } from "../../server/geo/communes.ts";
import { pgPool } from "../../server/pgPool.ts";

/** The point of a commune, moved `km` kilometres east (1° of longitude ≈ 111.2 km × cos(latitude)). */
export function pointNear(inseeCode: string, kmEast = 0, kmNorth = 0) {
  const c = loadCommunes().byCode.get(inseeCode)!;
  return { lat: c.lat! + kmNorth / 111.195, lng: c.lng! + kmEast / (111.195 * Math.cos((c.lat! * Math.PI) / 180)) };
}

const rpps = () => String(randomInt(10_000_000_000, 99_999_999_999));

export async function makeGp(organisationId: string, o: Partial<{ lastName: string; rpps: string; lat: number; lng: number; inseeCode: string; capacity: number; acceptsNew: boolean; acceptsAld: boolean; teamId: string; endOfActivity: Date }> = {}) {
  const at = o.lat !== undefined ? { lat: o.lat, lng: o.lng! } : pointNear(o.inseeCode ?? "42218");
  const { rows } = await pgPool().query<{ id: string; rpps: string }>(
    `INSERT INTO "Gp" ("id", "organisationId", "rpps", "lastName", "firstName", "inseeCode", "lat", "lng", "teamId", "acceptsNew", "capacity", "acceptsAld", "endOfActivity", "updatedAt")
     VALUES (gen_random_uuid(), $1, $2, $3, 'Test', $4, $5, $6, $7, $8, $9, $10, $11, now()) RETURNING "id", "rpps"`,
    [organisationId, o.rpps ?? rpps(), o.lastName ?? "MEDECIN", o.inseeCode ?? "42218", at.lat, at.lng, o.teamId ?? null, o.acceptsNew ?? true, o.capacity ?? 5, o.acceptsAld ?? true, o.endOfActivity ?? null],
  );
  return rows[0];
}

export async function makeTeam(organisationId: string, o: Partial<{ name: string; lat: number; lng: number; inseeCode: string; capacity: number; acceptsNew: boolean; acceptsAld: boolean }> = {}) {
  const at = o.lat !== undefined ? { lat: o.lat, lng: o.lng! } : pointNear(o.inseeCode ?? "42218");
  const { rows } = await pgPool().query<{ id: string }>(
    `INSERT INTO "Team" ("id", "organisationId", "name", "inseeCode", "lat", "lng", "acceptsNew", "capacity", "acceptsAld", "capacityDeclaredAt")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, now()) RETURNING "id"`,
    [organisationId, o.name ?? `MSP ${rpps()}`, o.inseeCode ?? "42218", at.lat, at.lng, o.acceptsNew ?? true, o.capacity ?? 10, o.acceptsAld ?? true],
  );
  return rows[0];
}

/** The agent holds the enrolment, as after a claim. */
export async function holdFor(enrolmentId: string, agentId: string) {
  await pgPool().query(`UPDATE "Enrolment" SET "dialState" = 'held', "heldBy" = $2, "heldUntil" = now() + interval '5 minutes' WHERE "id" = $1`, [enrolmentId, agentId]);
}

/** The agent's call with the held patient, answered and still open (no outcome yet), as during a conversation. */
export async function openCallFor(enrolmentId: string, agentId: string) {
  const { rows } = await pgPool().query<{ id: string }>(
    `INSERT INTO "CallAttempt" ("id", "enrolmentId", "campaignId", "organisationId", "agentId", "attemptNumber", "phone", "provider", "callStatus", "answeredAt")
     SELECT gen_random_uuid(), e."id", e."campaignId", c."organisationId", $2, e."attempts" + 1, '+33612345678', 'simulator', 'answered', now()
     FROM "Enrolment" e JOIN "Campaign" c ON c."id" = e."campaignId" WHERE e."id" = $1 RETURNING "id"`,
    [enrolmentId, agentId],
  );
  return rows[0];
}

/** A consent record, as the agent's console writes it (default: identity may be shared). */
export async function recordConsentFor(organisationId: string, patientId: string, purpose = "share_identity", granted = true, at = new Date()) {
  const { rows } = await pgPool().query<{ id: string }>(
    `INSERT INTO "Consent" ("id", "organisationId", "patientId", "purpose", "granted", "channel", "recordedByLabel", "at")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, 'phone', 'test', $5) RETURNING "id"`,
    [organisationId, patientId, purpose, granted, at],
  );
  return rows[0];
}
