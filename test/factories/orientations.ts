// Patients, GPs, MSP teams, confirmed orientations and consent records, written straight to
// PostgreSQL for the declaration, team profile and opposition tests.
import { randomUUID } from "node:crypto";
import { pgPool } from "../../server/pgPool.ts";

let rppsSeq = 0;
/** A valid RPPS (11 digits, Luhn check digit), different at each call. */
export function nextRpps(): string {
  rppsSeq += 1;
  const body = `1${String(process.pid % 1000).padStart(3, "0")}${String(rppsSeq).padStart(6, "0")}`;
  for (let check = 0; check <= 9; check++) {
    const digits = body + check;
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let d = Number(digits[digits.length - 1 - i]);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    if (sum % 10 === 0) return digits;
  }
  throw new Error("unreachable");
}

export interface PatientSpec {
  lastName?: string;
  firstName?: string | null;
  birthName?: string | null;
  birthDate?: string;
  externalId?: string | null;
  matchKey?: string;
  nirHash?: string | null;
  inseeCode?: string | null;
  hasMt?: boolean;
  ald?: boolean;
  relationRpps?: string | null;
  relationVisits?: number | null;
  phones?: { e164: string; type: string; country: string }[];
}

export async function makePatient(organisationId: string, spec: PatientSpec = {}): Promise<{ id: string }> {
  const { rows } = await pgPool().query(
    `INSERT INTO "Patient" ("id", "organisationId", "matchKey", "externalId", "nirHash", "lastName", "birthName", "firstName", "birthDate", "phones",
                            "inseeCode", "hasMt", "ald", "relationRpps", "relationVisits", "updatedAt")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8::date, $9::jsonb, $10, $11, $12, $13, $14, now()) RETURNING "id"`,
    [
      organisationId, spec.matchKey ?? `test:${randomUUID()}`, spec.externalId ?? null, spec.nirHash ?? null, spec.lastName ?? "PATIENT", spec.birthName ?? null,
      spec.firstName === undefined ? "Test" : spec.firstName, spec.birthDate ?? "1950-01-01",
      JSON.stringify(spec.phones ?? [{ e164: "+33612345678", type: "mobile", country: "FR" }]),
      spec.inseeCode === undefined ? "42218" : spec.inseeCode, spec.hasMt ?? false, spec.ald ?? true, spec.relationRpps ?? null, spec.relationVisits ?? null,
    ],
  );
  return rows[0];
}

/** n patients at once, all alike (counts tests). */
export async function makePatients(organisationId: string, n: number, spec: Omit<PatientSpec, "matchKey" | "externalId"> = {}) {
  const made = [];
  for (let i = 0; i < n; i++) made.push(await makePatient(organisationId, { ...spec, lastName: `${spec.lastName ?? "HABITANT"}${i}` }));
  return made;
}

export async function makeTeam(organisationId: string, spec: { name?: string; inseeCode?: string | null; lat?: number | null; lng?: number | null } = {}): Promise<{ id: string }> {
  const { rows } = await pgPool().query(
    `INSERT INTO "Team" ("id", "organisationId", "name", "inseeCode", "lat", "lng", "acceptsNew", "capacity") VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, true, 100) RETURNING "id"`,
    [organisationId, spec.name ?? `MSP ${randomUUID().slice(0, 8)}`, spec.inseeCode ?? "42218", spec.lat ?? null, spec.lng ?? null],
  );
  return rows[0];
}

export async function makeGp(organisationId: string, spec: { rpps?: string; lastName?: string; firstName?: string; teamId?: string | null; inseeCode?: string } = {}): Promise<{ id: string; rpps: string }> {
  const { rows } = await pgPool().query(
    `INSERT INTO "Gp" ("id", "organisationId", "rpps", "lastName", "firstName", "inseeCode", "teamId", "acceptsNew", "capacity", "updatedAt")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, true, 100, now()) RETURNING "id", "rpps"`,
    [organisationId, spec.rpps ?? nextRpps(), spec.lastName ?? "MEDECIN", spec.firstName ?? "Docteur", spec.inseeCode ?? "42218", spec.teamId ?? null],
  );
  return rows[0];
}

/**
 * An orientation of the patient (enrolled in the campaign for it) to a GP or a team, in the given
 * status; confirmed ones carry their doctor (assignedGpId) and the confirmation date.
 */
export async function makeOrientation(
  organisationId: string,
  campaignId: string,
  patientId: string,
  holder: { gpId: string } | { teamId: string; assignedGpId: string },
  spec: { status?: "reserved" | "confirmed" | "declined"; answeredAt?: Date; bookedById?: string } = {},
): Promise<{ id: string }> {
  const pool = pgPool();
  const { rows: enrolment } = await pool.query(
    `INSERT INTO "Enrolment" ("id", "campaignId", "patientId", "eligible", "priority", "priorityLabel", "dialState", "doneReason", "updatedAt")
     VALUES (gen_random_uuid(), $1, $2, true, 0, 'ALD', 'done', 'reached', now())
     ON CONFLICT ("campaignId", "patientId") DO UPDATE SET "updatedAt" = now() RETURNING "id"`,
    [campaignId, patientId],
  );
  const status = spec.status ?? "confirmed";
  const gpId = "gpId" in holder ? holder.gpId : null;
  const teamId = "teamId" in holder ? holder.teamId : null;
  const assigned = "gpId" in holder ? holder.gpId : holder.assignedGpId;
  const { rows } = await pool.query(
    `INSERT INTO "Orientation" ("id", "organisationId", "campaignId", "enrolmentId", "patientId", "gpId", "teamId", "assignedGpId", "status", "basis",
                                "bookedById", "reservedAt", "expiresAt", "answeredAt", "answeredByLabel")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, 'distance', $9, $10::timestamptz - interval '3 days', $10::timestamptz + interval '11 days', $11, $12)
     RETURNING "id"`,
    [
      organisationId, campaignId, enrolment[0].id, patientId, gpId, teamId, assigned, status, spec.bookedById ?? randomUUID(),
      spec.answeredAt ?? new Date("2026-11-20T10:00:00Z"), status === "reserved" ? null : (spec.answeredAt ?? new Date("2026-11-20T10:00:00Z")),
      status === "reserved" ? null : "lien médecin",
    ],
  );
  return rows[0];
}

export async function makeConsent(
  organisationId: string,
  patientId: string,
  purpose: "contact" | "share_identity" | "mt_declaration",
  granted: boolean,
  at: Date,
): Promise<{ id: string }> {
  const { rows } = await pgPool().query(
    `INSERT INTO "Consent" ("id", "organisationId", "patientId", "purpose", "granted", "channel", "recordedByLabel", "at")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, 'phone', 'Agent test', $5) RETURNING "id"`,
    [organisationId, patientId, purpose, granted, at],
  );
  return rows[0];
}
