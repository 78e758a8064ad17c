// Sends every pending declaration of the organisation in one batch, in one transaction. Two
// coordinators clicking at once: the organisation's advisory lock makes the second wait and find
// nothing left (409); the unique Declaration.orientationId (ON CONFLICT DO NOTHING) is the backstop.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { AppError } from "../errors.ts";
import { PENDING_DECLARATIONS_SQL } from "./listPendingDeclarations.ts";

export async function createDeclarationBatch(client: pg.PoolClient, who: { organisationId: string; userId: string; ip?: string | null }, now = new Date()) {
  await client.query(`SELECT pg_advisory_xact_lock(hashtext('declarations:' || $1))`, [who.organisationId]);
  const batchId = randomUUID();
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO "Declaration" ("id", "organisationId", "orientationId", "batchId", "gpRpps", "consentId", "status", "sentAt", "sentById")
     SELECT gen_random_uuid(), $1, q."orientationId", $2, q."gpRpps", q."consentId", 'sent', $4, $3 FROM (${PENDING_DECLARATIONS_SQL}) q
     ON CONFLICT ("orientationId") DO NOTHING
     RETURNING "id"`,
    [who.organisationId, batchId, who.userId, now],
  );
  if (!rows.length) throw new AppError("nothing_pending", 409, "Aucune déclaration en attente : rien à envoyer à la caisse.");
  await client.query(
    `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "action", "targetType", "targetId", "ip", "details")
     VALUES ($1, $2, 'declaration.batch.create', 'declaration_batch', $3, $4, $5)`,
    [who.organisationId, who.userId, batchId, who.ip ?? null, { count: rows.length }],
  );
  // The fund registers a declaration by its own identifier of the patient; without one (the listing gave none), it can
  // only match by name, first name and birth date: the coordinator is told how many.
  const { rows: [{ n }] } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Declaration" d JOIN "Orientation" o ON o."id" = d."orientationId" JOIN "Patient" p ON p."id" = o."patientId"
     WHERE d."batchId" = $1 AND p."externalId" IS NULL`,
    [batchId],
  );
  return { batchId, count: rows.length, withoutFundIdentifier: n };
}
