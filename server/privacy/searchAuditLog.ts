// The audit log viewer (admins): who did what, about which patient, when and from where; newest
// first, filtered, keyset-paged by id. The export walks the same filters page by page.
import type { Writable } from "node:stream";
import { midnightSql, organisationZoneSql } from "../organisations/timeZone.ts";
import type pg from "pg";
import { endCsv, frenchCsv, writeRecord } from "../imports/frenchCsv.ts";
import { auditActionLabel, auditDetailsText, auditTargetLabel, ROLE_LABELS } from "../../shared-types/auditLabels.ts";
import type { Role } from "../../shared-types/events.ts";
import { frenchDate, xlsxWriter } from "../reports/writeTables.ts";

export interface AuditFilters {
  actorUserId?: string;
  patientId?: string;
  /** Exact action, or a prefix ending with "." ("patient." = every action on patients). */
  action?: string;
  /** Days (YYYY-MM-DD, Paris time), both included. */
  from?: string;
  to?: string;
}

export interface AuditEntryRow {
  id: string;
  at: Date;
  action: string;
  actorUserId: string | null;
  actor: string | null;
  actorRole: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  details: Record<string, unknown>;
}

function where(organisationId: string, f: AuditFilters, before?: bigint) {
  const params: unknown[] = [organisationId];
  const clauses = [`a."organisationId" = $1`];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(params.length));
  };
  if (f.actorUserId) add((n) => `a."actorUserId" = $${n}`, f.actorUserId);
  if (f.patientId) add((n) => `a."targetType" = 'patient' AND a."targetId" = $${n}`, f.patientId);
  // « patient. »: every action on a patient (identity read, export, erasure, but also an opposition entered for them)
  if (f.action === "patient.") add((n) => `(a."action" LIKE $${n} || '%' OR a."targetType" = 'patient')`, f.action);
  else if (f.action) f.action.endsWith(".") ? add((n) => `a."action" LIKE $${n} || '%'`, f.action.replace(/[%_\\]/g, "")) : add((n) => `a."action" = $${n}`, f.action);
  // Calendar days of the organisation ($1), in its time zone.
  if (f.from) add((n) => `a."at" >= ${midnightSql(`$${n}`, organisationZoneSql("$1::uuid"))}`, f.from);
  if (f.to) add((n) => `a."at" < ${midnightSql(`($${n}::date + 1)`, organisationZoneSql("$1::uuid"))}`, f.to);
  if (before !== undefined) add((n) => `a."id" < $${n}`, before.toString());
  return { sql: clauses.join(" AND "), params };
}

const SELECT = `SELECT a."id"::text AS id, a."at", a."action", a."actorUserId", COALESCE(u."name", a."actorLabel") AS actor, u."role" AS "actorRole",
                       a."targetType", a."targetId", a."ip", a."details"
                FROM "AuditLog" a LEFT JOIN "User" u ON u."id" = a."actorUserId"`;

export async function searchAuditLog(client: pg.Pool | pg.PoolClient, organisationId: string, filters: AuditFilters, page: { limit: number; before?: bigint }) {
  const w = where(organisationId, filters, page.before);
  const { rows } = await client.query<AuditEntryRow>(`${SELECT} WHERE ${w.sql} ORDER BY a."id" DESC LIMIT ${Math.trunc(page.limit) + 1}`, w.params);
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit);
  return { items, nextBefore: more ? items[items.length - 1].id : null };
}

/** The actions seen lately, for the viewer's filter. */
export async function recentAuditActions(client: pg.Pool | pg.PoolClient, organisationId: string): Promise<string[]> {
  const { rows } = await client.query<{ action: string }>(
    `SELECT DISTINCT "action" FROM (SELECT "action" FROM "AuditLog" WHERE "organisationId" = $1 ORDER BY "id" DESC LIMIT 20000) r ORDER BY 1`,
    [organisationId],
  );
  return rows.map((r) => r.action);
}

export const AUDIT_COLUMNS = ["Date", "Action", "Qui", "Rôle actuel", "Cible", "Identifiant de la cible", "Adresse IP", "Détails", "N°"];
const PAGE = 2000;

export async function exportAuditLog(client: pg.Pool, organisationId: string, filters: AuditFilters, format: "csv" | "xlsx", out: Writable, zone: string): Promise<number> {
  const csv = format === "csv" ? frenchCsv(out, AUDIT_COLUMNS) : null;
  const book = format === "xlsx" ? xlsxWriter(out, zone) : null;
  const sheet = book?.sheet("Journal d'audit", AUDIT_COLUMNS);
  let before: bigint | undefined;
  let written = 0;
  for (;;) {
    const w = where(organisationId, filters, before);
    const { rows } = await client.query<AuditEntryRow>(`${SELECT} WHERE ${w.sql} ORDER BY a."id" DESC LIMIT ${PAGE}`, w.params);
    for (const r of rows) {
      const details = auditDetailsText(r.details, (iso) => frenchDate(new Date(iso), zone, true));
      const said = [auditActionLabel(r.action), r.actor ?? "système", r.actorRole ? ROLE_LABELS[r.actorRole as Role] : "", auditTargetLabel(r.targetType), r.targetId, r.ip, details];
      if (csv) await writeRecord(csv, [frenchDate(r.at, zone, true), ...said, r.id]);
      else sheet!.add([r.at, ...said, Number(r.id)]);
    }
    written += rows.length;
    if (rows.length < PAGE) break;
    before = BigInt(rows[rows.length - 1].id);
  }
  if (csv) await endCsv(csv);
  else {
    sheet!.done();
    await book!.commit();
  }
  return written;
}
