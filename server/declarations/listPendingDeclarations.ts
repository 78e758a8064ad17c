// The médecin traitant declarations waiting to be sent to the fund: confirmed orientations whose
// patient's current consent for "mt_declaration" is granted and that have no declaration yet.
import type pg from "pg";

/**
 * $1 = organisation id. The current consent is the patient's latest record for the purpose,
 * ordered as server/consent/currentConsents.ts does (at DESC, then id), so a withdrawal after a
 * grant leaves the orientation out. The doctor is the one who takes the patient (assignedGpId).
 */
export const PENDING_DECLARATIONS_SQL = `
  SELECT o."id" AS "orientationId", o."patientId", cur."id" AS "consentId", g."rpps" AS "gpRpps",
         p."externalId", p."lastName", p."firstName", to_char(p."birthDate", 'YYYY-MM-DD') AS "birthDate",
         g."lastName" AS "gpLastName", g."firstName" AS "gpFirstName", o."answeredAt" AS "confirmedAt"
  FROM "Orientation" o
  JOIN "Patient" p ON p."id" = o."patientId" AND p."organisationId" = o."organisationId"
  JOIN "Gp" g ON g."id" = o."assignedGpId"
  JOIN LATERAL (
    SELECT c."id", c."granted" FROM "Consent" c
    WHERE c."patientId" = o."patientId" AND c."purpose" = 'mt_declaration'
    ORDER BY c."at" DESC, c."id" LIMIT 1
  ) cur ON cur."granted"
  WHERE o."organisationId" = $1 AND o."status" = 'confirmed' AND p."erasedAt" IS NULL -- no identity, nothing the fund can register
    AND NOT EXISTS (SELECT 1 FROM "Declaration" d WHERE d."orientationId" = o."id")`;

export interface PendingDeclaration {
  orientationId: string;
  patientId: string;
  consentId: string;
  externalId: string | null;
  lastName: string;
  firstName: string | null;
  birthDate: string;
  gp: { rpps: string; lastName: string; firstName: string | null };
  confirmedAt: Date | null;
}

export async function listPendingDeclarations(client: pg.PoolClient | pg.Pool, organisationId: string, page: { limit: number; offset: number }) {
  const { rows } = await client.query(
    `SELECT q.*, count(*) OVER () AS "total" FROM (${PENDING_DECLARATIONS_SQL}) q
     ORDER BY q."confirmedAt" NULLS LAST, q."lastName", q."orientationId" LIMIT $2 OFFSET $3`,
    [organisationId, page.limit, page.offset],
  );
  let count = rows.length ? Number(rows[0].total) : 0;
  if (!rows.length && page.offset > 0) {
    count = Number((await client.query(`SELECT count(*) AS n FROM (${PENDING_DECLARATIONS_SQL}) q`, [organisationId])).rows[0].n);
  }
  const items: PendingDeclaration[] = rows.map((r) => ({
    orientationId: r.orientationId, patientId: r.patientId, consentId: r.consentId,
    externalId: r.externalId, lastName: r.lastName, firstName: r.firstName, birthDate: r.birthDate,
    gp: { rpps: r.gpRpps, lastName: r.gpLastName, firstName: r.gpFirstName },
    confirmedAt: r.confirmedAt,
  }));
  return { count, items };
}
