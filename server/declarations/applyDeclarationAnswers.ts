// Applies the fund's answer file in one transaction: each line marks its declaration declared or
// rejected (with the reason); unusable lines are reported with their line number and a French
// reason. Idempotent: a line that repeats the current answer changes nothing. "declared" closes the
// patient's funnel: the patient now has a médecin traitant and is not called again.
import type pg from "pg";
import { AppError } from "../errors.ts";
import type { Table } from "../imports/parsing/readTable.ts";
import { mapAnswerHeaders, parseAnswerRow } from "./parseAnswerRow.ts";

export interface AnswerReport {
  counts: { rows: number; declared: number; rejected: number; errors: number; unchanged: number };
  errors: { line: number; reason: string }[];
  /** What of the file was not read as the table (lines above its header, other sheets), in French. */
  notes: string[];
}

interface Known {
  id: string;
  organisationId: string;
  status: "sent" | "declared" | "rejected";
  rejectReason: string | null;
  patientId: string;
}

export async function applyDeclarationAnswers(client: pg.PoolClient, who: { organisationId: string; userId: string; ip?: string | null }, table: Table, now = new Date()): Promise<AnswerReport> {
  const headers = mapAnswerHeaders(table.headers);
  if (!headers.ok) throw new AppError("unrecognised_file", 400, headers.reason);
  const lines = table.rows.map((row) => ({ line: row.line, parsed: parseAnswerRow(row.cells, headers.columns) }));

  // The declarations the file names, fetched at once and locked for this transaction.
  const references = [...new Set(lines.flatMap((l) => (l.parsed.ok && l.parsed.reference ? [l.parsed.reference] : [])))];
  const patients = [...new Set(lines.flatMap((l) => (l.parsed.ok && !l.parsed.reference ? [l.parsed.patient!] : [])))];
  const { rows: found } = await client.query<Known & { externalId: string | null; gpRpps: string }>(
    `SELECT d."id", d."organisationId", d."status", d."rejectReason", d."gpRpps", o."patientId", p."externalId"
     FROM "Declaration" d JOIN "Orientation" o ON o."id" = d."orientationId" JOIN "Patient" p ON p."id" = o."patientId"
     WHERE d."id" = ANY($1::uuid[]) OR (d."organisationId" = $2 AND p."externalId" = ANY($3::text[]))
     ORDER BY d."sentAt"
     FOR UPDATE OF d`,
    [references, who.organisationId, patients],
  );
  const byId = new Map(found.map((d) => [d.id, d]));
  // patient + doctor: the latest declaration sent for them (a re-orientation to the same doctor is answered by its own line).
  const byPatientDoctor = new Map(found.filter((d) => d.organisationId === who.organisationId).map((d) => [`${d.externalId}|${d.gpRpps}`, d]));

  const report: AnswerReport = { counts: { rows: lines.length, declared: 0, rejected: 0, errors: 0, unchanged: 0 }, errors: [], notes: table.notes };
  const fail = (line: number, reason: string) => {
    report.errors.push({ line, reason });
    report.counts.errors += 1;
  };
  const newlyDeclared: string[] = [];
  // The first line of this file that answered each declaration: a later line that says otherwise is not applied.
  const answeredAt = new Map<string, { line: number; status: string; reason: string | null }>();
  for (const { line, parsed } of lines) {
    if (!parsed.ok) {
      fail(line, parsed.reason);
      continue;
    }
    const d = parsed.reference ? byId.get(parsed.reference) : byPatientDoctor.get(`${parsed.patient}|${parsed.rpps}`);
    if (!d) {
      fail(line, parsed.reference ? `référence de déclaration inconnue : « ${parsed.reference} »` : `aucune déclaration envoyée pour le patient « ${parsed.patient} » et le médecin RPPS ${parsed.rpps}`);
      continue;
    }
    if (d.organisationId !== who.organisationId) {
      fail(line, `la déclaration « ${parsed.reference} » n'appartient pas à cette organisation`);
      continue;
    }
    const earlier = answeredAt.get(d.id);
    if (earlier && (earlier.status !== parsed.status || (parsed.status === "rejected" && earlier.reason !== parsed.reason))) {
      fail(line, `la ligne ${earlier.line} du fichier répond déjà autrement pour cette déclaration : cette ligne n'est pas appliquée, vérifiez auprès de la caisse`);
      continue;
    }
    answeredAt.set(d.id, { line, status: parsed.status, reason: parsed.reason });
    if (d.status === "declared" && parsed.status === "rejected") {
      fail(line, "déclaration déjà enregistrée par la caisse : un rejet ultérieur n'est pas appliqué, vérifiez auprès de la caisse");
      continue;
    }
    // a line that repeats the current answer counts as unchanged only (not also as declared or rejected)
    if (d.status === parsed.status && (parsed.status === "declared" || d.rejectReason === parsed.reason)) {
      report.counts.unchanged += 1;
      continue;
    }
    report.counts[parsed.status] += 1;
    await client.query(`UPDATE "Declaration" SET "status" = $2, "answeredAt" = $3, "rejectReason" = $4 WHERE "id" = $1`, [d.id, parsed.status, now, parsed.reason]);
    d.status = parsed.status;
    d.rejectReason = parsed.reason;
    if (parsed.status === "declared") newlyDeclared.push(d.patientId);
  }
  if (table.readError) fail(table.readError.line, table.readError.reason);

  if (newlyDeclared.length) {
    await client.query(`UPDATE "Patient" SET "hasMt" = true, "updatedAt" = now() WHERE "id" = ANY($1::uuid[]) AND NOT "hasMt"`, [newlyDeclared]);
    await client.query(
      `UPDATE "Enrolment" SET "dialState" = 'done', "doneReason" = 'has_mt', "updatedAt" = now() WHERE "patientId" = ANY($1::uuid[]) AND "dialState" = 'waiting'`,
      [newlyDeclared],
    );
  }
  await client.query(
    `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "action", "targetType", "ip", "details") VALUES ($1, $2, 'declaration.answers', 'declaration', $3, $4)`,
    [who.organisationId, who.userId, who.ip ?? null, { counts: report.counts }],
  );
  return report;
}
