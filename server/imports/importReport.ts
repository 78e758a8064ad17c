import type { Db } from "../db.ts";
import { errors } from "../errors.ts";
import type { Prisma } from "../generated/prisma/client.ts";
import { decisiveColumnReason } from "./parsing/mapHeaders.ts";
import { detectionNotes } from "./detectionNotes.ts";

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
    /** What detection found: `notes` says in French what of the file's shape is not imported (a « sep=; » line, the
     * lines above the header, other sheets). */
    detected: { encoding: imp.encoding, delimiter: imp.delimiter, format: imp.format, headerLine: imp.headerLine, sheet: imp.sheetName, notes: detectionNotes(imp) },
    mapping: imp.mapping,
    needsMapping: imp.status === "uploaded" ? previewFor(imp.preview, withRows) : null,
    /** Whether this report was made for a reader of the listing's rows: the preview's rows, the rejected rows' CSV. */
    mayReadRows: withRows,
    progress: { lastLine: imp.lastLine, estimatedLines: (imp.preview as { estimatedLines?: number | null } | null)?.estimatedLines ?? null },
    counts: { rows: imp.rowsRead, accepted: imp.accepted, merged: imp.merged, rejected: imp.rejected, skipped: imp.skipped, remarked: imp.remarked },
    rejected,
    rejectedTruncated: imp.rejected > rejected.length,
    /** Accepted rows from which something was dropped, and why (the first REPORT_REMARKS_LIMIT, once the import is over). */
    remarks,
    remarksTruncated: imp.remarked > remarks.length && remarks.length === REPORT_REMARKS_LIMIT,
    /** The file's columns the import does not read (left aside by detection or by the coordinator). */
    ignoredColumns: ignoredColumns(imp.kind, imp.preview, imp.mapping),
    error: imp.error,
    createdAt: imp.createdAt,
    startedAt: imp.startedAt,
    finishedAt: imp.finishedAt,
  };
}
function previewFor(preview: Prisma.JsonValue, withRows: boolean) {
  if (withRows || !preview || typeof preview !== "object" || Array.isArray(preview)) return preview;
  return { ...preview, rows: [], above: [] };
}

export type ImportReport = Awaited<ReturnType<typeof importReport>>;

export interface IgnoredColumn {
  /** 1 for the file's first column, as a spreadsheet counts them. */
  column: number;
  header: string;
  /** Why such a column matters, in French, when it may have said who is called (opposition, médecin traitant…). */
  mayDecide: string | null;
}

/** The columns with a header that no field of the mapping reads; none before the mapping is known. */
function ignoredColumns(kind: "patients" | "gps", preview: unknown, mapping: unknown): IgnoredColumn[] {
  const headers = (preview as { headers?: unknown } | null)?.headers;
  if (!Array.isArray(headers) || !mapping || typeof mapping !== "object") return [];
  const read = new Set(Object.values(mapping as Record<string, number | number[]>).flat());
  return headers.flatMap((header: unknown, i) =>
    typeof header === "string" && header.trim() !== "" && !read.has(i)
      ? [{ column: i + 1, header, mayDecide: kind === "patients" ? decisiveColumnReason(header) : null }]
      : [],
  );
}
