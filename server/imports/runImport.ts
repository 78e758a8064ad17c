// Processes a stored patient listing: rows streamed from PostgreSQL, parsed, and written in
// batches, each batch atomic with the import's checkpoint. Safe to run twice and to resume:
// a PostgreSQL advisory lock keeps one runner per import; lines up to the checkpoint are skipped.
import { UnrecoverableError } from "bullmq";
import type { PriorityGroup } from "../campaigns/schemas.ts";
import { db } from "../db.ts";
import { resolveCommune } from "../geo/communes.ts";
import { logger } from "../logger.ts";
import { inTransaction, pgPool } from "../pgPool.ts";
import { applyPatientBatch, type BatchContext } from "./applyPatientBatch.ts";
import { importReport } from "./importReport.ts";
import { openImportFile } from "./openImportFile.ts";
import type { PatientMapping } from "./parsing/mapHeaders.ts";
import { parsePatientRow, type ParsedPatient } from "./parsing/parsePatientRow.ts";
import { readRows } from "./parsing/readRows.ts";
import type { TextEncoding } from "./parsing/detectEncoding.ts";
import type { Delimiter } from "./parsing/detectDelimiter.ts";
import type { PatientRow, Rejection } from "./types.ts";

export const BATCH_ROWS = 2000;

export interface ImportProgress {
  lastLine: number;
  rows: number;
}

export async function runImport(importId: string, onProgress?: (p: ImportProgress) => unknown) {
  const lock = await pgPool().connect();
  try {
    const { rows } = await lock.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext('import:' || $1)) AS locked", [importId]);
    if (!rows[0].locked) throw new Error(`import ${importId} is being processed by another worker`);
    try {
      return await processImport(importId, onProgress);
    } finally {
      await lock.query("SELECT pg_advisory_unlock(hashtext('import:' || $1))", [importId]);
    }
  } finally {
    lock.release();
  }
}

async function processImport(importId: string, onProgress?: (p: ImportProgress) => unknown) {
  const imp = await db().import.findUnique({ where: { id: importId }, include: { campaign: true } });
  if (!imp) throw new UnrecoverableError(`import ${importId} not found`);
  if (imp.status === "done" || imp.status === "failed") return importReport(db(), importId);
  if (imp.status === "uploaded") throw new UnrecoverableError(`import ${importId} waits for its column mapping`);
  if (!imp.campaign) throw new UnrecoverableError(`import ${importId} has no campaign`);
  await db().import.update({ where: { id: importId }, data: { status: "running", startedAt: imp.startedAt ?? new Date() } });

  const ctx: BatchContext = {
    importId,
    organisationId: imp.organisationId,
    campaignId: imp.campaign.id,
    rules: { priorityOrder: imp.campaign.priorityOrder as PriorityGroup[], requiresContactConsent: imp.campaign.requiresContactConsent },
    today: new Date(),
  };
  const mapping = imp.mapping as PatientMapping;
  let batch: PatientRow[] = [];
  let rejections: Rejection[] = [];
  let skipped = 0;
  let lastLine = imp.lastLine;
  let rowsSeen = imp.rowsRead;

  const flush = async () => {
    if (!batch.length && !rejections.length && !skipped) return;
    await inTransaction((client) => applyPatientBatch(client, ctx, batch, rejections, { lastLine, skipped }));
    rowsSeen += batch.length + rejections.length;
    batch = [];
    rejections = [];
    skipped = 0;
    await onProgress?.({ lastLine, rows: rowsSeen });
  };

  try {
    let header = true;
    for await (const row of readRows(openImportFile(db(), importId), {
      encoding: (imp.encoding as TextEncoding | null) ?? undefined,
      delimiter: (imp.delimiter as Delimiter | null) ?? undefined,
    })) {
      if (header) {
        header = false;
        continue;
      }
      if (row.error) {
        rejections.push({ line: row.line, reason: row.error, cells: row.cells });
        lastLine = row.line;
        break;
      }
      if (row.line <= imp.lastLine) continue;
      const parsed = parsePatientRow(row.cells, mapping, resolveCommune, { today: ctx.today });
      if ("skip" in parsed) skipped += 1;
      else if (parsed.ok) batch.push(toPatientRow(row.line, parsed.patient));
      else rejections.push({ line: row.line, reason: parsed.reason, cells: row.cells });
      lastLine = row.line;
      if (batch.length + rejections.length >= BATCH_ROWS) await flush();
    }
    await flush();
  } catch (err) {
    logger.error({ err, importId }, "import failed");
    throw err;
  }
  await db().import.update({ where: { id: importId }, data: { status: "done", finishedAt: new Date() } });
  return importReport(db(), importId);
}

function toPatientRow(line: number, p: ParsedPatient): PatientRow {
  return {
    line, externalId: p.externalId, nir: p.nir, lastName: p.lastName, birthName: p.birthName, firstName: p.firstName,
    birthDate: p.birthDate, sex: p.sex, phones: p.phones, address: p.address, postalCode: p.postalCode, inseeCode: p.inseeCode,
    ald: p.ald, css: p.css, hasMt: p.hasMt, optOut: p.optOut, consentContact: p.consentContact,
    // "existing relationship": a GP seen at least three times in the reference period (or named by the fund without a count)
    relationRpps: p.relationRpps && (p.relationVisits === null || p.relationVisits >= 3) ? p.relationRpps : null,
    relationVisits: p.relationVisits,
    droppedPhones: [...p.rawPhonesRejected.map((r) => r.reason), ...p.warnings],
  };
}

/** After the last attempt: the import stops with a French message the coordinator can act on. */
export async function markImportFailed(importId: string, err: unknown) {
  const message = err instanceof Error ? err.message : String(err);
  await db().import.updateMany({
    where: { id: importId, status: { in: ["queued", "running"] } },
    data: { status: "failed", finishedAt: new Date(), error: `L'import a échoué : ${message}` },
  });
}
