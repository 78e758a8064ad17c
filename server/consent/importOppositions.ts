// A coordinator imports the organisation's opposition register (people who refuse any call), in
// one transaction. Each line is matched to the organisation's patients by the listings' merge key
// (matchKeyOf) and, to honour the refusal whatever listing the person came from, by each of its
// identifiers: NIR (keyed hash), fund identifier, folded name + first name + birth date. Every
// patient matched is put on the register (a trigger sets Patient.optOut). An unknown person is
// created (identity only, no phone) so that a later listing merging into them stays opposed.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { AppError } from "../errors.ts";
import { matchKeyOf, nameKeysOf, nirHash, type PatientIdentity } from "../imports/patientIdentity.ts";
import { mapHeaders } from "../imports/parsing/mapHeaders.ts";
import { normaliseText } from "../imports/parsing/normaliseText.ts";
import { birthDateRange, parseDate } from "../imports/parsing/parseDate.ts";
import type { Table } from "../imports/parsing/readTable.ts";
import { cellOf } from "../imports/parsing/rowCells.ts";
import { validateNir } from "../imports/parsing/validateNir.ts";
import { registerOpposition } from "./registerOpposition.ts";

export interface OppositionImportReport {
  importId: string;
  counts: { rows: number; registered: number; alreadyOpposed: number; rejected: number };
  /** Patients created for people the organisation did not know yet. */
  created: number;
  /** What of the file was not read as the table (lines above its header, other sheets), in French. */
  notes: string[];
  rejected: { line: number; reason: string }[];
}

const COMMENT_HEADERS = new Set(["commentaire", "commentaires", "motif", "motif opposition", "observation", "observations", "remarque"]);

type Line = { line: number; ok: true; identity: PatientIdentity; comment: string | null; canCreate: boolean } | { line: number; ok: false; reason: string };

export async function importOppositions(client: pg.PoolClient, who: { organisationId: string; userId: string; ip?: string | null }, table: Table, today = new Date()): Promise<OppositionImportReport> {
  const { mapping } = mapHeaders(table.headers, "patient");
  const hasName = mapping.lastName !== undefined || mapping.birthName !== undefined;
  if (mapping.nir === undefined && mapping.externalId === undefined && !(hasName && mapping.firstName !== undefined && mapping.birthDate !== undefined)) {
    const seen = table.headers.map((h) => h.trim()).filter(Boolean).slice(0, 12).join(", ");
    throw new AppError("unrecognised_file", 400,
      `Registre d'oppositions non reconnu : il faut une colonne NIR, une colonne identifiant caisse, ou les colonnes nom, prénom et date de naissance. Colonnes lues : ${seen || "aucune"}.`);
  }
  const commentColumn = table.headers.findIndex((h) => COMMENT_HEADERS.has(normaliseText(h)));

  const lines: Line[] = table.rows.map(({ line, cells }) => {
    const nirCell = cellOf(cells, mapping.nir);
    const nirCheck = nirCell ? validateNir(nirCell) : null;
    const nir = nirCheck?.ok ? nirCheck.nir : null;
    const externalId = cellOf(cells, mapping.externalId);
    const usage = cellOf(cells, mapping.lastName);
    const birthName = cellOf(cells, mapping.birthName);
    const lastName = usage ?? birthName;
    const firstName = cellOf(cells, mapping.firstName);
    const birthCell = cellOf(cells, mapping.birthDate);
    const birth = birthCell ? parseDate(birthCell, { twoDigitYear: "past", today, serialRange: birthDateRange(today) }) : null;
    const birthDate = birth?.ok ? birth.date : null;
    const byName = Boolean(lastName && firstName && birthDate);
    if (!nir && !externalId && !byName) {
      const reasons = [
        nirCheck && !nirCheck.ok ? nirCheck.reason : null,
        birth && !birth.ok ? `date de naissance : ${birth.reason}` : null,
        "identité insuffisante : NIR, identifiant caisse, ou nom, prénom et date de naissance",
      ].filter(Boolean);
      return { line, ok: false, reason: reasons.join(" ; ") };
    }
    return {
      line, ok: true, comment: commentColumn >= 0 ? cellOf(cells, commentColumn) : null,
      identity: { nir, externalId, lastName: lastName ?? "", birthName: usage ? birthName : null, firstName, birthDate: birthDate ?? "" },
      canCreate: Boolean(lastName && birthDate),
    };
  });

  // Every patient of the organisation any line may name, in one query.
  const usable = lines.filter((l): l is Extract<Line, { ok: true }> => l.ok);
  const nirHashes = usable.flatMap((l) => (l.identity.nir ? [nirHash(l.identity.nir)] : []));
  const externalIds = usable.flatMap((l) => (l.identity.externalId ? [l.identity.externalId] : []));
  const dates = usable.flatMap((l) => (l.identity.birthDate ? [l.identity.birthDate] : []));
  const keys = usable.filter((l) => l.canCreate || l.identity.nir || l.identity.externalId).map((l) => matchKeyOf(l.identity));
  const { rows: known } = await client.query<{ id: string; matchKey: string; nirHash: string | null; externalId: string | null; lastName: string; birthName: string | null; firstName: string | null; birthDate: string }>(
    `SELECT "id", "matchKey", "nirHash", "externalId", "lastName", "birthName", "firstName", to_char("birthDate", 'YYYY-MM-DD') AS "birthDate"
     FROM "Patient" WHERE "organisationId" = $1
       AND ("matchKey" = ANY($2::text[]) OR "nirHash" = ANY($3::text[]) OR "externalId" = ANY($4::text[]) OR "birthDate" = ANY($5::date[]))`,
    [who.organisationId, [...new Set(keys)], [...new Set(nirHashes)], [...new Set(externalIds)], [...new Set(dates)]],
  );
  const index = new Map<string, Set<string>>();
  const add = (key: string, id: string) => index.set(key, (index.get(key) ?? new Set()).add(id));
  const namesOf = (p: { lastName: string; birthName: string | null; firstName: string | null; birthDate: string }) => {
    const { birthKey, usageKey } = nameKeysOf(p);
    return [...new Set([birthKey, usageKey].filter((k): k is string => k !== null).map((k) => `name:${k}`))];
  };
  const remember = (p: (typeof known)[number]) => {
    add(`key:${p.matchKey}`, p.id);
    if (p.nirHash) add(`nir:${p.nirHash}`, p.id);
    if (p.externalId) add(`ext:${p.externalId}`, p.id);
    if (p.firstName) for (const k of namesOf(p)) add(k, p.id);
  };
  known.forEach(remember);

  const importId = randomUUID();
  const report: OppositionImportReport = { importId, counts: { rows: lines.length, registered: 0, alreadyOpposed: 0, rejected: 0 }, created: 0, rejected: [], notes: table.notes };
  const reject = (line: number, reason: string) => {
    report.rejected.push({ line, reason });
    report.counts.rejected += 1;
  };
  for (const l of lines) {
    if (!l.ok) {
      reject(l.line, l.reason);
      continue;
    }
    const id = l.identity;
    const lookups = [`key:${matchKeyOf(id)}`];
    if (id.nir) lookups.push(`nir:${nirHash(id.nir)}`);
    if (id.externalId) lookups.push(`ext:${id.externalId}`);
    if (id.firstName && id.birthDate) lookups.push(...namesOf({ lastName: id.lastName, birthName: id.birthName, firstName: id.firstName, birthDate: id.birthDate }));
    const matched = new Set(lookups.flatMap((k) => [...(index.get(k) ?? [])]));
    if (!matched.size) {
      if (!l.canCreate) {
        reject(l.line, "personne inconnue de l'organisation : le nom et la date de naissance sont nécessaires pour l'inscrire au registre");
        continue;
      }
      const created = await createPatient(client, who.organisationId, id);
      remember(created);
      matched.add(created.id);
      report.created += 1;
    }
    let added = false;
    for (const patientId of matched) {
      if (await registerOpposition(client, { organisationId: who.organisationId, patientId, source: "import", recordedById: who.userId, importId, comment: l.comment })) added = true;
    }
    if (added) report.counts.registered += 1;
    else report.counts.alreadyOpposed += 1;
  }
  if (table.readError) reject(table.readError.line, table.readError.reason);

  await client.query(
    `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "action", "targetType", "targetId", "ip", "details") VALUES ($1, $2, 'opposition.import', 'opposition_import', $3, $4, $5)`,
    [who.organisationId, who.userId, importId, who.ip ?? null, { counts: report.counts, created: report.created }],
  );
  return report;
}

/** The person as the register names them: identity only, no phone (never called). */
async function createPatient(client: pg.PoolClient, organisationId: string, id: PatientIdentity) {
  const matchKey = matchKeyOf(id);
  const names = nameKeysOf(id);
  const { rows } = await client.query(
    `INSERT INTO "Patient" ("id", "organisationId", "matchKey", "externalId", "nirHash", "lastName", "birthName", "firstName", "birthDate", "phones", "birthKey", "usageKey", "updatedAt")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8::date, '[]'::jsonb, $9, $10, now())
     ON CONFLICT ("organisationId", "matchKey") DO UPDATE SET "updatedAt" = "Patient"."updatedAt"
     RETURNING "id", "matchKey", "nirHash", "externalId", "lastName", "birthName", "firstName", to_char("birthDate", 'YYYY-MM-DD') AS "birthDate"`,
    [organisationId, matchKey, id.externalId, id.nir ? nirHash(id.nir) : null, id.lastName, id.birthName, id.firstName, id.birthDate, names.birthKey, names.usageKey],
  );
  return rows[0];
}
