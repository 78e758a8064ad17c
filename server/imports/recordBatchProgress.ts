// The end of every import batch, in the batch's transaction: its rejections, the remarks of its accepted rows and the
// checkpoint.
import type pg from "pg";
import type { Rejection } from "./types.ts";

/** An accepted row from which something was dropped, and why. */
export interface Remark {
  line: number;
  remark: string;
}

/** The remarks of a batch's rows, one per line (several joined by « ; »). */
export const remarksOf = <T extends { line: number }>(rows: T[], said: (row: T) => string[]): Remark[] =>
  rows.flatMap((r) => (said(r).length ? [{ line: r.line, remark: said(r).join(" ; ") }] : []));

export interface BatchResult {
  accepted: number;
  merged: number;
  rejected: number;
}

export async function recordBatchProgress(
  client: pg.PoolClient,
  importId: string,
  done: { accepted: number; merged: number; rows: number },
  rejections: Rejection[],
  remarks: Remark[],
  checkpoint: { lastLine: number; skipped: number },
): Promise<BatchResult> {
  if (rejections.length) {
    await client.query({
      name: "import-insert-rejections",
      text: `INSERT INTO "ImportRejection" ("importId", "line", "reason", "cells")
       SELECT $1::uuid, l, r, ARRAY(SELECT jsonb_array_elements_text(c)) FROM unnest($2::int[], $3::text[], $4::jsonb[]) AS u(l, r, c)
       ON CONFLICT DO NOTHING`,
      values: [importId, rejections.map((r) => r.line), rejections.map((r) => r.reason), rejections.map((r) => JSON.stringify(r.cells))],
    });
  }
  if (remarks.length) {
    await client.query({
      name: "import-insert-remarks",
      text: `INSERT INTO "ImportRemark" ("importId", "line", "remark") SELECT $1::uuid, l, r FROM unnest($2::int[], $3::text[]) AS u(l, r)
       ON CONFLICT DO NOTHING`,
      values: [importId, remarks.map((r) => r.line), remarks.map((r) => r.remark)],
    });
  }
  await client.query({
    name: "import-checkpoint",
    text: `UPDATE "Import" SET "lastLine" = $2, "rowsRead" = "rowsRead" + $3, "accepted" = "accepted" + $4, "merged" = "merged" + $5,
       "rejected" = "rejected" + $6, "skipped" = "skipped" + $7, "remarked" = "remarked" + $8
     WHERE "id" = $1`,
    values: [importId, checkpoint.lastLine, done.rows + rejections.length, done.accepted, done.merged, rejections.length, checkpoint.skipped, remarks.length],
  });
  return { accepted: done.accepted, merged: done.merged, rejected: rejections.length };
}
