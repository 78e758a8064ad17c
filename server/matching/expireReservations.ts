// Reservations left unanswered past their expiry free their place and put the patient back to
// "to re-propose"; they stay listed (status expired) for the coordinator's follow-up. Idempotent.
import type pg from "pg";
import { reorientPatient } from "./reorientPatient.ts";

export async function expireReservations(client: pg.PoolClient, now = new Date()): Promise<number> {
  const { rows } = await client.query<{ id: string; enrolmentId: string; holderName: string; reservedAt: Date }>(
    `WITH due AS (SELECT "id" FROM "Orientation" WHERE "status" = 'reserved' AND "expiresAt" <= $1 ORDER BY "expiresAt" LIMIT 1000 FOR UPDATE SKIP LOCKED)
     UPDATE "Orientation" o SET "status" = 'expired' FROM due WHERE o."id" = due."id"
     RETURNING o."id", o."enrolmentId", o."reservedAt",
       (SELECT coalesce(g."lastName", t."name") FROM "Orientation" x LEFT JOIN "Gp" g ON g."id" = x."gpId" LEFT JOIN "Team" t ON t."id" = x."teamId" WHERE x."id" = o."id") AS "holderName"`,
    [now],
  );
  for (const r of rows) {
    const days = Math.round((now.getTime() - new Date(r.reservedAt).getTime()) / 86_400_000);
    await reorientPatient(client, r.enrolmentId, `Réservation chez ${r.holderName} restée sans réponse depuis ${days} jours`, now);
  }
  return rows.length;
}
