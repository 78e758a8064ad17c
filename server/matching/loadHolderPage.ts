// What a GP or team sees through its link: its capacity, and (orientations link) the patients
// oriented to it whose consent to share their identity is current — every identity shown is
// written to the audit log. Patients without that consent are counted, never named.
import { grantedNowSql } from "../consent/currentConsents.ts";
import type pg from "pg";
import type { OpenLink } from "./verifyGpLink.ts";
import { loadCommunes } from "../geo/communes.ts";
import { stillPractisingSql } from "./stillPractising.ts";

export async function loadHolderPage(client: pg.PoolClient, link: OpenLink, meta: { ip?: string }) {
  const holder = link.gpId
    ? (await client.query(
        `SELECT 'gp' AS "kind", "id", 'Dr ' || "lastName" || coalesce(' ' || "firstName", '') AS "name", "rpps", "inseeCode", "acceptsNew", "capacity", "acceptsAld", "taken", "capacityDeclaredAt"
         FROM "Gp" WHERE "id" = $1`, [link.gpId])).rows[0]
    : (await client.query(
        `SELECT 'team' AS "kind", "id", "name", NULL AS "rpps", "inseeCode", "acceptsNew", "capacity", "acceptsAld", "taken", "capacityDeclaredAt" FROM "Team" WHERE "id" = $1`, [link.teamId])).rows[0];
  const doctors = link.teamId
    // the team's doctors, each saying whether they take new patients (a doctor leaving is shown, not offered)
    ? (await client.query(
        `SELECT "id", "rpps", 'Dr ' || "lastName" || coalesce(' ' || "firstName", '') AS "name", to_char("endOfActivity", 'YYYY-MM-DD') AS "endOfActivity",
           ${stillPractisingSql(`"Gp"`)} AS "takesNew"
         FROM "Gp" WHERE "teamId" = $1 ORDER BY "lastName", "firstName"`, [link.teamId])).rows
    : [];
  const page = {
    purpose: link.purpose, organisation: link.organisationName, expiresAt: link.expiresAt,
    holder: { ...holder, communeName: holder.inseeCode ? loadCommunes().byCode.get(holder.inseeCode)?.name ?? null : null }, doctors,
    orientations: [] as unknown[], withoutConsent: 0,
  };
  if (link.purpose !== "orientations") return page;
  const { rows } = await client.query(
    `SELECT o."id", o."status", o."reservedAt", o."expiresAt", o."answeredAt", o."assignedGpId", o."declineReason", o."patientId",
            p."lastName", p."firstName", to_char(p."birthDate", 'YYYY-MM-DD') AS "birthDate", p."inseeCode", p."ald",
            ${grantedNowSql('o."patientId"', "share_identity")} AS "shared"
     FROM "Orientation" o JOIN "Patient" p ON p."id" = o."patientId"
     WHERE o."organisationId" = $1 AND ${link.gpId ? `o."gpId"` : `o."teamId"`} = $2 AND o."status" IN ('reserved', 'confirmed')
     ORDER BY o."status" DESC, o."reservedAt"`,
    [link.organisationId, link.gpId ?? link.teamId],
  );
  const shown = rows.filter((r) => r.shared === true);
  page.withoutConsent = rows.length - shown.length;
  if (shown.length) {
    await client.query(
      `INSERT INTO "AuditLog" ("organisationId", "actorLabel", "action", "targetType", "targetId", "ip", "details")
       SELECT $1, $2, 'patient.identity.read', 'patient', pid, $3, jsonb_build_object('via', 'gp_link', 'linkId', $4::text) FROM unnest($5::text[]) AS pid`,
      [link.organisationId, link.label, meta.ip ?? null, link.id, shown.map((r) => r.patientId)],
    );
  }
  const communes = loadCommunes().byCode;
  page.orientations = shown.map(({ shared: _s, patientId: _p, inseeCode, ...r }) => ({ ...r, communeName: inseeCode ? communes.get(inseeCode)?.name ?? inseeCode : null }));
  return page;
}
