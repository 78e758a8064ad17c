// A listing arrives (console, API or CLI): keep the file, audit who sent what, detect its format
// and mapping. The caller then queues it (web) or runs it in place (CLI) when it is ready.
import type { Readable } from "node:stream";
import type { Db } from "../db.ts";
import { writeAudit, type AuditEntry } from "../audit/writeAudit.ts";
import { storeUpload } from "./storeUpload.ts";
import { dropUnimportable, prepareImport } from "./prepareImport.ts";
import { AppError } from "../errors.ts";

export interface ListingTarget {
  organisationId: string;
  campaignId: string | null;
  kind: "patients" | "gps";
}

export async function acceptListing(
  prisma: Db,
  target: ListingTarget,
  file: Readable,
  fileName: string,
  actor: Pick<AuditEntry, "actorUserId" | "actorLabel" | "ip">,
  options: { acceptUnsure?: boolean; ignoreUnrecognised?: boolean; headerLine?: number } = {},
) {
  const stored = await storeUpload(prisma, { ...target, fileName, createdById: actor.actorUserId ?? undefined, createdByLabel: actor.actorLabel ?? undefined }, file);
  await writeAudit(prisma, {
    ...actor, action: "import.upload", organisationId: target.organisationId, targetType: "import", targetId: stored.id,
    details: { kind: target.kind, campaignId: target.campaignId, fileName: stored.fileName, bytes: Number(stored.fileSize) },
  });
  // A header line the file does not have (the CLI's --header-line): the import fails with the reason, its bytes not kept.
  const prepared = await prepareImport(prisma, stored.id, options).catch(async (err: unknown) => {
    if (err instanceof AppError && err.status === 400) await dropUnimportable(prisma, stored.id, err.userMessage);
    throw err;
  });
  return { importId: stored.id, ...prepared };
}
