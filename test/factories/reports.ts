// Patients with a whole history (attempts, consents, orientation, declaration) for the report and
// privacy tests: each "story" is one enrolled patient, written straight to PostgreSQL.
import { randomUUID } from "node:crypto";
import { pgPool } from "../../server/pgPool.ts";

export interface Story {
  inseeCode?: string;
  eligible?: boolean;
  ald?: boolean;
  css?: boolean;
  hasMt?: boolean;
  /** YYYY-MM-DD */
  birthDate?: string;
  enrolledAt?: Date;
  /** outcome null: an open attempt (a call in progress). */
  attempts?: { outcome: string | null; agentId: string; at: Date; durationSeconds?: number; handleSeconds?: number; phone?: string; comment?: string }[];
  consents?: { purpose: "contact" | "share_identity" | "mt_declaration"; granted: boolean; at: Date }[];
  orientation?: {
    status: "reserved" | "confirmed" | "declined" | "expired" | "cancelled";
    gpId?: string;
    teamId?: string;
    bookedById: string;
    reservedAt: Date;
    answeredAt?: Date;
    declaration?: { status: "sent" | "declared" | "rejected"; answeredAt?: Date };
  };
}

export async function makeStories(organisationId: string, campaignId: string, stories: Story[]) {
  const out: { patientId: string; enrolmentId: string; orientationId?: string }[] = [];
  const pool = pgPool();
  for (const [i, s] of stories.entries()) {
    const tag = randomUUID();
    const { rows: [p] } = await pool.query<{ id: string }>(
      `INSERT INTO "Patient" ("id", "organisationId", "matchKey", "externalId", "lastName", "firstName", "birthDate", "phones", "address", "postalCode", "inseeCode", "ald", "css", "hasMt", "updatedAt")
       VALUES (gen_random_uuid(), $1, $2, $3, $4, 'Camille', $5, '[{"e164":"+33612345678","type":"mobile","country":"FR"}]', '3 rue des Lilas', '42000', $6, $7, $8, $9, now()) RETURNING "id"`,
      [organisationId, `test:${tag}`, `EXT${tag.slice(0, 8)}`, `DUPONT${i}`, s.birthDate ?? "1950-06-15", s.inseeCode ?? "42218", s.ald ?? true, s.css ?? false, s.hasMt ?? false],
    );
    const { rows: [e] } = await pool.query<{ id: string }>(
      `INSERT INTO "Enrolment" ("id", "campaignId", "patientId", "eligible", "ineligibleReason", "priority", "priorityLabel", "createdAt", "dialState", "attempts", "updatedAt")
       VALUES (gen_random_uuid(), $1, $2, $3, $4, 0, 'ALD, 76 ans, sans MT', $5, $6, $7, now()) RETURNING "id"`,
      [campaignId, p.id, s.eligible ?? true, s.eligible === false ? "a déjà un médecin traitant" : null, s.enrolledAt ?? new Date("2026-03-02T08:00:00Z"),
        s.attempts?.length ? "done" : "waiting", s.attempts?.length ?? 0],
    );
    for (const [n, a] of (s.attempts ?? []).entries()) {
      const ended = a.outcome ? new Date(a.at.getTime() + (a.handleSeconds ?? 120) * 1000) : null;
      await pool.query(
        `INSERT INTO "CallAttempt" ("id", "enrolmentId", "campaignId", "organisationId", "agentId", "attemptNumber", "phone", "provider", "callStatus", "createdAt", "dialledAt", "answeredAt", "durationSeconds", "outcome", "outcomeAt", "comment")
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, 'simulator', $7, $8, $8, $9, $10, $11, $12, $13)`,
        [e.id, campaignId, organisationId, a.agentId, n + 1, a.phone ?? "+33612345678", a.outcome ? "ended" : "ringing", a.at,
          a.durationSeconds ? a.at : null, a.durationSeconds ?? null, a.outcome, ended, a.comment ?? null],
      );
    }
    for (const c of s.consents ?? []) {
      await pool.query(
        `INSERT INTO "Consent" ("id", "organisationId", "patientId", "campaignId", "purpose", "granted", "channel", "recordedByLabel", "at")
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, 'phone', 'Agent test', $6)`,
        [organisationId, p.id, campaignId, c.purpose, c.granted, c.at],
      );
    }
    let orientationId: string | undefined;
    if (s.orientation) {
      const o = s.orientation;
      const { rows: [row] } = await pool.query<{ id: string }>(
        `INSERT INTO "Orientation" ("id", "organisationId", "campaignId", "enrolmentId", "patientId", "gpId", "teamId", "assignedGpId", "status", "basis", "bookedById", "reservedAt", "expiresAt", "answeredAt")
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $5, $7, 'distance', $8, $9, $9::timestamptz + interval '14 days', $10) RETURNING "id"`,
        [organisationId, campaignId, e.id, p.id, o.gpId ?? null, o.teamId ?? null, o.status, o.bookedById, o.reservedAt, o.answeredAt ?? null],
      );
      orientationId = row.id;
      if (o.declaration) {
        await pool.query(
          `INSERT INTO "Declaration" ("id", "organisationId", "orientationId", "batchId", "gpRpps", "consentId", "status", "sentAt", "sentById", "answeredAt")
           VALUES (gen_random_uuid(), $1, $2, $3, '10000000001', gen_random_uuid(), $4, $5, $6, $7)`,
          [organisationId, row.id, randomUUID(), o.declaration.status, o.answeredAt ?? o.reservedAt, o.bookedById, o.declaration.answeredAt ?? null],
        );
      }
    }
    out.push({ patientId: p.id, enrolmentId: e.id, orientationId });
  }
  return out;
}

/** A finished listing import of the campaign (its file deleted, as every finished import's) whose lines are the given patients' sources. */
export async function makeImportWithSources(organisationId: string, campaignId: string, patientIds: string[]) {
  const pool = pgPool();
  const { rows: [imp] } = await pool.query<{ id: string }>(
    `INSERT INTO "Import" ("id", "organisationId", "campaignId", "kind", "fileName", "fileSize", "fileHash", "status", "finishedAt")
     VALUES (gen_random_uuid(), $1, $2, 'patients', 'listing.csv', 20, 'h', 'done', now()) RETURNING "id"`,
    [organisationId, campaignId],
  );
  await pool.query(`INSERT INTO "ImportRejection" ("importId", "line", "reason", "cells") VALUES ($1, 99, 'date de naissance invalide', '{MARTIN,Jean}')`, [imp.id]);
  for (const [i, id] of patientIds.entries()) {
    await pool.query(`INSERT INTO "PatientSource" ("importId", "line", "patientId", "data") VALUES ($1, $2, $3, '{"lastName":"DUPONT","birthDate":"1950-06-01","phones":[{"e164":"+33612345678","type":"mobile","country":"FR"}],"ald":true,"hasMt":null}')`, [imp.id, i + 2, id]);
    await pool.query(`INSERT INTO "ImportRemark" ("importId", "line", "remark") VALUES ($1, $2, 'numéro invalide : « 06 12 34 »')`, [imp.id, i + 2]);
  }
  return imp;
}

/** Paris wall-clock time → instant (winter time, UTC+1, for dates between November and March). */
export const parisWinter = (isoLocal: string) => new Date(`${isoLocal}+01:00`);
