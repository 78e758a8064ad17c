// Processes a stored patient listing: rows streamed from PostgreSQL, parsed, and written in
// batches, each batch atomic with the import's checkpoint. Safe to run twice and to resume:
// a PostgreSQL advisory lock keeps one runner per import; lines up to the checkpoint are skipped.
// node-postgres only (no Prisma, no BullMQ): the worker runs it in a lean process of its own
// (importProcess.ts), the CLI and the seed in place.
import type { PoolClient } from "pg";
import { resolveCommune as resolveAnyCommune } from "../geo/communes.ts";
import { inTransaction, pgPool, withAdvisoryLock } from "../pgPool.ts";
import { applyPatientBatch, type BatchContext } from "./applyPatientBatch.ts";
import { calendarDate } from "../organisations/timeZone.ts";
import { openImportFile } from "./openImportFile.ts";
import type { GpMapping, PatientMapping } from "./parsing/mapHeaders.ts";
import { parseGpRow } from "./parsing/parseGpRow.ts";
import { applyGpBatch, rosterGives, type GpRow } from "./applyGpBatch.ts";
import { parsePatientRow, type ParsedPatient } from "./parsing/parsePatientRow.ts";
import { cacheCommuneResolver } from "./parsing/cacheCommuneResolver.ts";
import { readRows, type RawRow } from "./parsing/readRows.ts";
import { findSheetWithHeader } from "./parsing/findHeader.ts";
import { otherSheet, type OtherSheet } from "./detectionNotes.ts";
import type { TextEncoding } from "./parsing/detectEncoding.ts";
import type { Delimiter } from "./parsing/detectDelimiter.ts";
import type { PatientRow, Rejection } from "./types.ts";
import { maskNirCells } from "./maskNirCells.ts";

/** An import that no retry can help (missing, without campaign, waiting for its mapping): the queue gives up at once. */
export class ImportCannotRun extends Error {
  override name = "ImportCannotRun";
}

export const BATCH_ROWS = 2000;
const YIELD_EVERY_ROWS = 64;

export interface ImportProgress {
  lastLine: number;
  rows: number;
}

export async function runImport(importId: string, onProgress?: (p: ImportProgress) => unknown): Promise<void> {
  try {
    // Wait a little for the lock: a killed worker's session takes a moment to be reaped by PostgreSQL.
    return await withAdvisoryLock(`import:${importId}`, () => processImport(importId, onProgress), { waitMs: 15_000 });
  } catch (err) {
    if ((err as { code?: string }).code === "55P03") throw new Error(`import ${importId} is being processed by another worker`);
    throw err;
  }
}

/** What differs between a patient listing and a GP roster: how a row is read and how a batch is written. */
interface ListingHandler<T> {
  parse(cells: string[], line: number): { ok: true; value: T } | { ok: false; reason: string } | { skip: string };
  apply(client: PoolClient, batch: T[], rejections: Rejection[], checkpoint: { lastLine: number; skipped: number }): Promise<unknown>;
}

interface ImportToRun {
  id: string;
  organisationId: string;
  /** The organisation's time zone: its calendar date is the listing's "today". */
  timeZone: string;
  kind: "patients" | "gps";
  status: string;
  mapping: unknown;
  encoding: string | null;
  delimiter: string | null;
  lastLine: number;
  rowsRead: number;
  headerLine: number;
  sheetIndex: number | null;
  campaignId: string | null;
}

async function loadImport(importId: string): Promise<ImportToRun | null> {
  const { rows } = await pgPool().query<ImportToRun>(
    `SELECT i."id", i."organisationId", o."timeZone", i."kind", i."status", i."mapping", i."encoding", i."delimiter", i."lastLine", i."rowsRead", i."headerLine", i."sheetIndex", i."campaignId"
     FROM "Import" i JOIN "Organisation" o ON o."id" = i."organisationId" WHERE i."id" = $1`,
    [importId],
  );
  return rows[0] ?? null;
}

async function handlerFor(imp: ImportToRun, today: Date): Promise<ListingHandler<PatientRow> | ListingHandler<GpRow>> {
  const resolveCommune = cacheCommuneResolver(resolveAnyCommune);
  if (imp.kind === "gps") {
    const mapping = imp.mapping as GpMapping;
    const ctx = { importId: imp.id, organisationId: imp.organisationId, gives: rosterGives(mapping) };
    // A roster that gives one RPPS twice: the later line wins what it gives, and says so (60,000 GPs at most: a small map).
    const firstLineOf = new Map<string, number>();
    const gps: ListingHandler<GpRow> = {
      parse(cells, line) {
        const r = parseGpRow(cells, mapping, resolveCommune, { today });
        if ("skip" in r) return { skip: r.skip };
        if (!r.ok) return r;
        const first = firstLineOf.get(r.gp.rpps);
        if (first === undefined) firstLineOf.set(r.gp.rpps, line);
        else r.gp.warnings.push(`RPPS ${r.gp.rpps} déjà donné ligne ${first} : ce que cette ligne indique remplace la ligne ${first} ; une case vide garde ce que la ligne ${first} en disait`);
        return { ok: true, value: { ...r.gp, line } };
      },
      apply: (client, batch, rejections, checkpoint) => applyGpBatch(client, ctx, batch, rejections, checkpoint),
    };
    return gps;
  }
  if (!imp.campaignId) throw new ImportCannotRun(`import ${imp.id} has no campaign`);
  const mapping = imp.mapping as PatientMapping;
  const ctx: BatchContext = {
    importId: imp.id,
    organisationId: imp.organisationId,
    campaignId: imp.campaignId,
    today: calendarDate(today, imp.timeZone),
  };
  const patients: ListingHandler<PatientRow> = {
    parse(cells, line) {
      const r = parsePatientRow(cells, mapping, resolveCommune, { today, timeZone: imp.timeZone });
      return "skip" in r ? { skip: r.skip } : r.ok ? { ok: true, value: toPatientRow(line, r.patient) } : r;
    },
    apply: (client, batch, rejections, checkpoint) => applyPatientBatch(client, ctx, batch, rejections, checkpoint),
  };
  return patients;
}

async function processImport(importId: string, onProgress?: (p: ImportProgress) => unknown) {
  const imp = await loadImport(importId);
  if (!imp) throw new ImportCannotRun(`import ${importId} not found`);
  if (imp.status === "done" || imp.status === "failed") return;
  if (imp.status === "uploaded") throw new ImportCannotRun(`import ${importId} waits for its column mapping`);
  const handler = (await handlerFor(imp, new Date())) as ListingHandler<unknown>;
  await pgPool().query(`UPDATE "Import" SET "status" = 'running', "startedAt" = COALESCE("startedAt", now()) WHERE "id" = $1`, [importId]);

  let batch: unknown[] = [];
  let rejections: Rejection[] = [];
  let skipped = 0;
  let lastLine = imp.lastLine;
  let rowsSeen = imp.rowsRead;

  // Pipeline: batch N commits while batch N+1 is read and parsed. Batch N+1 is handed over only
  // once N has committed, so checkpoints advance in file order, there is never more than one
  // commit at a time, and at most two batches are in memory. A failed commit stops the import at
  // the next hand-over (or at the end) with its error.
  let committing: Promise<void> | null = null;
  const settle = async () => {
    const pending = committing;
    committing = null;
    await pending;
  };
  const flush = async () => {
    await settle();
    if (!batch.length && !rejections.length && !skipped) return;
    const rows = batch;
    const rejected = rejections;
    const checkpoint = { lastLine, skipped };
    batch = [];
    rejections = [];
    skipped = 0;
    const pending = (async () => {
      await inTransaction((client) => handler.apply(client, rows, rejected, checkpoint));
      rowsSeen += rows.length + rejected.length;
      await onProgress?.({ lastLine: checkpoint.lastLine, rows: rowsSeen });
    })();
    pending.catch(() => {}); // awaited by the next settle(): not an unhandled rejection meanwhile
    committing = pending;
  };

  // A rejected row is kept to go back to the fund, its NIR masked: never stored in clear.
  const mapping = imp.mapping as Record<string, number | number[]> | null;
  const reject = (line: number, reason: string, cells: string[]) => rejections.push({ line, reason, cells: maskNirCells(cells, mapping) });
  let sinceYield = 0;
  // XLSX: the sheet detection chose (a notice sheet may come first); the sheets after it are looked at once it is read.
  const sheetIndex = imp.sheetIndex ?? 0;
  let laterSheets: OtherSheet[] | null = null;
  const rows = readRows(openImportFile(pgPool(), importId), {
    encoding: (imp.encoding as TextEncoding | null) ?? undefined,
    delimiter: (imp.delimiter as Delimiter | null) ?? undefined,
    allSheets: imp.sheetIndex !== null,
  });
  try {
    for await (const row of rows) {
      if (row.sheet && row.sheet.index > sheetIndex) {
        // The listing's sheet is over. The next ones are not imported; whether one of them has a header too is told
        // in the report. (findSheetWithHeader reads on from this same generator; the loop then ends and closes it.)
        laterSheets = await laterSheetsOf(row, rows, imp.kind);
        break;
      }
      if (row.sheet && row.sheet.index < sheetIndex && !row.error) continue; // a sheet before the listing's (a notice)
      if (row.line <= imp.lastLine) continue;
      if (row.line <= imp.headerLine && !row.error) {
        // The header, and the lines above it (a title, a date): not patients, not errors.
        if (row.line < imp.headerLine) {
          skipped += 1;
          lastLine = row.line;
        }
        continue;
      }
      lastLine = row.line;
      if (row.error) {
        // The rest of the file cannot be read (truncated XLSX, broken quoting): reported, not lost silently.
        reject(row.line, row.error, row.cells);
        break;
      }
      const parsed = handler.parse(row.cells, row.line);
      if ("skip" in parsed) skipped += 1;
      else if (parsed.ok) batch.push(parsed.value);
      else reject(row.line, parsed.reason, row.cells);
      if (batch.length + rejections.length >= BATCH_ROWS) await flush();
      // Rows come from an in-memory queue (promise jobs only): let the event loop run now and then,
      // so the batch being committed gets its answers from PostgreSQL and sends its next statement.
      else if (++sinceYield >= YIELD_EVERY_ROWS) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    await flush();
    await settle();
  } finally {
    // never leave a commit running behind the advisory lock's release
    await (committing as Promise<void> | null)?.catch(() => {});
  }
  // Done: the uploaded file goes with the same commit. It holds every identity of the listing and its NIRs in clear
  // (stored only as keyed hashes); what the coordinator gets back (report, rejected rows, NIRs masked) is kept apart.
  await pgPool().query(
    `WITH file AS (DELETE FROM "ImportChunk" WHERE "importId" = $1)
     UPDATE "Import" SET "status" = 'done', "finishedAt" = now(), "otherSheets" = COALESCE("otherSheets" || $2::jsonb, "otherSheets", $2::jsonb) WHERE "id" = $1`,
    [importId, laterSheets && JSON.stringify(laterSheets)],
  );
}

/** The sheets after the listing's, each with whether its first rows hold a header, up to the first one that does. */
async function laterSheetsOf(first: RawRow, rows: AsyncIterator<RawRow>, kind: ImportToRun["kind"]): Promise<OtherSheet[]> {
  const { heads } = await findSheetWithHeader(rows, kind === "patients" ? "patient" : "gp", first);
  return heads.flatMap((h) => (h.sheet ? [otherSheet(h.sheet, h.header !== null)] : []));
}

function toPatientRow(line: number, p: ParsedPatient): PatientRow {
  return {
    line, externalId: p.externalId, nir: p.nir, lastName: p.lastName, usageNameGiven: p.usageNameGiven, birthName: p.birthName, firstName: p.firstName,
    birthDate: p.birthDate, sex: p.sex, phones: p.phones, address: p.address, postalCode: p.postalCode, inseeCode: p.inseeCode,
    ald: p.ald, css: p.css, hasMt: p.hasMt, optOut: p.optOut, consentContact: p.consentContact,
    // "existing relationship": a GP seen at least three times in the reference period (or named by the fund without a count)
    relationRpps: p.relationRpps && (p.relationVisits === null || p.relationVisits >= 3) ? p.relationRpps : null,
    relationVisits: p.relationVisits,
    notes: [...p.rawPhonesRejected.map((r) => r.reason), ...p.warnings],
  };
}
