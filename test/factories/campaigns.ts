import { randomUUID } from "node:crypto";
import { db } from "../../server/db.ts";

export async function makeCampaign(organisationId: string, overrides: Partial<{ name: string; type: "ald_sans_mt" | "retirement" | "regularisation"; requiresContactConsent: boolean; priorityOrder: string[] }> = {}) {
  return db().campaign.create({
    data: { organisationId, name: overrides.name ?? `Campagne ${randomUUID().slice(0, 8)}`, type: overrides.type ?? "ald_sans_mt", ...overrides },
  });
}

/** An import waiting for its column mapping (as after an unsure detection). */
export async function makeUploadedImport(organisationId: string, campaignId: string) {
  return makeImport(organisationId, {
    campaignId, status: "uploaded",
    preview: { headers: ["NOM", "PRENOM", "DDN"], rows: [], proposal: {}, missingRequired: [], unmapped: [], savedMapping: false },
  });
}

/** An import record as the history lists it: a campaign's listing by default, a GP roster with `kind: "gps"`, at a chosen `createdAt`. */
export async function makeImport(
  organisationId: string,
  overrides: Partial<{ campaignId: string | null; kind: "patients" | "gps"; fileName: string; status: "uploaded" | "queued" | "running" | "done" | "failed"; createdAt: Date; createdById: string; preview: object }> = {},
) {
  const { campaignId = null, kind = "patients", fileName = "listing.csv", ...rest } = overrides;
  return db().import.create({ data: { organisationId, campaignId, kind, fileName, fileSize: 10n, fileHash: "x", ...rest } });
}

/** n eligible patients enrolled in the campaign, due since 1 January 2026 (or at `dueAt`), in a commune of mainland France by default.
 * The default is a fixed past date, so tests that set their own clock (a Tuesday of November 2026) find them due on any day they run. */
export async function makeEnrolledPatients(
  organisationId: string,
  campaignId: string,
  n: number,
  overrides: Partial<{ inseeCode: string; phones: { e164: string; type: string; country: string }[]; dueAt: Date; priority: number; optOut: boolean }> = {},
) {
  const { pgPool } = await import("../../server/pgPool.ts");
  const tag = randomUUID().slice(0, 8);
  const { rows } = await pgPool().query<{ id: string; patientId: string }>(
    `WITH p AS (
       INSERT INTO "Patient" ("id", "organisationId", "matchKey", "lastName", "firstName", "birthDate", "phones", "inseeCode", "ald", "optOut", "updatedAt")
       SELECT gen_random_uuid(), $1, 'test:' || $3 || ':' || i, 'PATIENT' || i, 'Test', DATE '1950-01-01', $4::jsonb, $5, true, $7, now()
       FROM generate_series(1, $2) AS i RETURNING "id"
     )
     INSERT INTO "Enrolment" ("id", "campaignId", "patientId", "eligible", "priority", "priorityLabel", "dueAt", "updatedAt")
     SELECT gen_random_uuid(), $6, p."id", true, $8, 'ALD, 76 ans, sans MT', $9, now() FROM p
     RETURNING "id", "patientId"`,
    [
      organisationId, n, tag,
      JSON.stringify(overrides.phones ?? [{ e164: "+33612345678", type: "mobile", country: "FR" }, { e164: "+33477123456", type: "fixed", country: "FR" }]),
      overrides.inseeCode ?? "42218", campaignId, overrides.optOut ?? false, overrides.priority ?? 0, overrides.dueAt ?? new Date("2026-01-01T00:00:00Z"),
    ],
  );
  return rows;
}
