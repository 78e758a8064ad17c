// A coordinator puts one patient of the organisation on the opposition register (a letter, a
// phone call to the CPTS…). Idempotent: a patient already there keeps their first entry.
import type pg from "pg";
import { errors } from "../errors.ts";
import { cancelReservations } from "../matching/cancelReservations.ts";
import { registerOpposition } from "./registerOpposition.ts";

export async function addOpposition(client: pg.PoolClient, who: { organisationId: string; userId: string; ip?: string | null }, input: { patientId: string; comment?: string | null }) {
  const { rows } = await client.query(`SELECT "id" FROM "Patient" WHERE "id" = $1 AND "organisationId" = $2 FOR UPDATE`, [input.patientId, who.organisationId]);
  if (!rows.length) throw errors.notFound("Patient");
  const created = await registerOpposition(client, {
    organisationId: who.organisationId, patientId: input.patientId, source: "coordinator", recordedById: who.userId, comment: input.comment ?? null,
  });
  if (created) {
    await cancelReservations(client, [input.patientId], "le patient s'oppose à tout appel");
    await client.query(
      `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "action", "targetType", "targetId", "ip", "details") VALUES ($1, $2, 'opposition.create', 'patient', $3, $4, $5)`,
      [who.organisationId, who.userId, input.patientId, who.ip ?? null, { source: "coordinator" }],
    );
  }
  const { rows: entry } = await client.query(`SELECT "patientId", "source", "at", "comment" FROM "Opposition" WHERE "patientId" = $1`, [input.patientId]);
  return { created, opposition: entry[0] as { patientId: string; source: string; at: Date; comment: string | null } };
}
