// The patients oriented by a campaign, with their identity, for the GPs and teams who take them
// (DESIGN step 8): coordinator only; streamed page by page (keyset on the orientation id), every
// identity written out logged in the audit log page by page (rule 7). What the patient agreed to pass on and nothing
// more: name, birth date and commune (the script's question), only while their current consent says yes; no phone.
import { grantedNowSql } from "../consent/currentConsents.ts";
import { shownBirthDateSql } from "../privacy/erasePatients.ts";
import type { Writable } from "node:stream";
import type pg from "pg";
import { writeIdentityReads } from "../audit/writeIdentityReads.ts";
import { endCsv, frenchCsv, writeRecord } from "../imports/frenchCsv.ts";
import { frenchDate, xlsxWriter } from "./writeTables.ts";

const PAGE = 1000;
const NOT_SHARED = "(identité non transmise : le patient n'a pas ou plus donné son accord)";

export const ORIENTATION_STATUS_LABELS: Record<string, string> = {
  reserved: "réservée, en attente de réponse", confirmed: "confirmée", declined: "refusée", expired: "expirée", cancelled: "annulée",
};

export const ORIENTATION_COLUMNS = [
  "Médecin ou équipe", "RPPS", "Nom", "Prénom", "Date de naissance", "Commune", "ALD", "Statut", "Réservée le", "Réponse le", "Orientation",
];

const QUERY = `
  SELECT o."id", o."patientId", o."status", o."reservedAt", o."answeredAt",
         COALESCE(t."name", trim(g."lastName" || ' ' || COALESCE(g."firstName", ''))) AS holder, COALESCE(ag."rpps", g."rpps") AS rpps,
         p."lastName", p."firstName", ${shownBirthDateSql("p", "DD/MM/YYYY")} AS "birthDate", COALESCE(c."name", p."inseeCode") AS commune, p."ald",
         ${grantedNowSql('o."patientId"', "share_identity")} AS shared
  FROM "Orientation" o JOIN "Patient" p ON p."id" = o."patientId"
  LEFT JOIN "Team" t ON t."id" = o."teamId" LEFT JOIN "Gp" g ON g."id" = o."gpId" LEFT JOIN "Gp" ag ON ag."id" = o."assignedGpId"
  LEFT JOIN "Commune" c ON c."inseeCode" = p."inseeCode"
  WHERE o."campaignId" = $1 AND o."organisationId" = $2 AND o."id" > $3
    AND ($4::uuid IS NULL OR o."gpId" = $4 OR o."teamId" = $4) AND ($5::text IS NULL OR o."status"::text = $5)
  ORDER BY o."id" LIMIT ${PAGE}`;

export interface OrientationExport {
  organisationId: string;
  campaignId: string;
  /** A GP or team id: only its patients. */
  holderId?: string | null;
  status?: string | null;
  reader: { userId: string; ip?: string | null };
  /** The organisation's time zone: the dates' wall-clock. */
  zone: string;
}

export async function exportOrientations(client: pg.Pool, input: OrientationExport, format: "csv" | "xlsx", out: Writable): Promise<number> {
  const csv = format === "csv" ? frenchCsv(out, ORIENTATION_COLUMNS) : null;
  const book = format === "xlsx" ? xlsxWriter(out, input.zone) : null;
  const sheet = book?.sheet("Patients orientés", ORIENTATION_COLUMNS);
  let after = "00000000-0000-0000-0000-000000000000";
  let written = 0;
  for (;;) {
    const { rows } = await client.query(QUERY, [input.campaignId, input.organisationId, after, input.holderId ?? null, input.status ?? null]);
    await writeIdentityReads(client, { organisationId: input.organisationId, actorUserId: input.reader.userId, ip: input.reader.ip, via: "orientations_export", context: { campaignId: input.campaignId } },
      rows.filter((r) => r.shared).map((r) => r.patientId));
    for (const r of rows) {
      const identity = r.shared ? [r.lastName, r.firstName, r.birthDate, r.commune] : [NOT_SHARED, "", "", ""];
      const cells = [r.holder, r.rpps, ...identity, r.ald ? "oui" : "non", ORIENTATION_STATUS_LABELS[r.status] ?? r.status, r.reservedAt, r.answeredAt, r.id];
      if (csv) await writeRecord(csv, cells.map((c) => (c instanceof Date ? frenchDate(c, input.zone, true) : c)));
      else sheet!.add(cells);
    }
    written += rows.length;
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1].id;
  }
  if (csv) await endCsv(csv);
  else {
    sheet!.done();
    await book!.commit();
  }
  return written;
}

