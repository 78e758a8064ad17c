import type { Db } from "../db.ts";
import { errors } from "../errors.ts";
import type { Prisma } from "../generated/prisma/client.ts";

export const REPORT_REJECTED_LIMIT = 10_000;
export const REPORT_REMARKS_LIMIT = 1_000;

/** Status and report of an import, as the console, the API and the CLI show it. `withRows`: the preview's first rows
 * (identities) for the mapping, for the roles that may see a listing's rows (policy « import:rows »); others get the
 * headers only. */
export async function importReport(prisma: Db, importId: string, { withRows = false } = {}) {
  const imp = await prisma.import.findUnique({ where: { id: importId } });
  if (!imp) throw errors.notFound("Import");
  const rejected = await prisma.importRejection.findMany({
    where: { importId },
    orderBy: { line: "asc" },
    take: REPORT_REJECTED_LIMIT,
    select: { line: true, reason: true },
  });
  // Read once the import is over (the console polls the report while it runs).
  const remarks = imp.status === "done" || imp.status === "failed"
    ? await prisma.importRemark.findMany({ where: { importId }, orderBy: { line: "asc" }, take: REPORT_REMARKS_LIMIT, select: { line: true, remark: true } })
    : [];
  return {
    id: imp.id,
    campaignId: imp.campaignId,
    kind: imp.kind,
    status: imp.status,
    fileName: imp.fileName,
    fileSize: Number(imp.fileSize),
    detected: { encoding: imp.encoding, delimiter: imp.delimiter, format: imp.format },
    mapping: imp.mapping,
    needsMapping: imp.status === "uploaded" ? previewFor(imp.preview, withRows) : null,
    progress: { lastLine: imp.lastLine, estimatedLines: (imp.preview as { estimatedLines?: number | null } | null)?.estimatedLines ?? null },
    counts: { rows: imp.rowsRead, accepted: imp.accepted, merged: imp.merged, rejected: imp.rejected, skipped: imp.skipped, remarked: imp.remarked },
    rejected,
    rejectedTruncated: imp.rejected > rejected.length,
    /** Accepted rows from which something was dropped, and why (the first REPORT_REMARKS_LIMIT, once the import is over). */
    remarks,
    remarksTruncated: imp.remarked > remarks.length && remarks.length === REPORT_REMARKS_LIMIT,
    error: imp.error,
    createdAt: imp.createdAt,
    startedAt: imp.startedAt,
    finishedAt: imp.finishedAt,
  };
}
function previewFor(preview: Prisma.JsonValue, withRows: boolean) {
  if (withRows || !preview || typeof preview !== "object" || Array.isArray(preview)) return preview;
  return { ...preview, rows: [] };
}

export type ImportReport = Awaited<ReturnType<typeof importReport>>;
