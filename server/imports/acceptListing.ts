// A listing arrives (console, API or CLI): keep the file, audit who sent what, detect its format
// and mapping. The caller then queues it (web) or runs it in place (CLI) when it is ready.
import type { Readable } from "node:stream";
import type { Db } from "../db.ts";
import { writeAudit, type AuditEntry } from "../audit/writeAudit.ts";
import { storeUpload } from "./storeUpload.ts";
import { prepareImport } from "./prepareImport.ts";

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
  options: { acceptUnsure?: boolean; ignoreUnrecognised?: boolean } = {},
) {
  const stored = await storeUpload(prisma, { ...target, fileName, createdById: actor.actorUserId ?? undefined, createdByLabel: actor.actorLabel ?? undefined }, file);
  await writeAudit(prisma, {
    ...actor, action: "import.upload", organisationId: target.organisationId, targetType: "import", targetId: stored.id,
    details: { kind: target.kind, campaignId: target.campaignId, fileName: stored.fileName, bytes: Number(stored.fileSize) },
  });
  const prepared = await prepareImport(prisma, stored.id, options);
  return { importId: stored.id, ...prepared };
}
