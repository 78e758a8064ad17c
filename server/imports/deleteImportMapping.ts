// A saved column mapping deleted by a coordinator: the next file with those headers is detected afresh (and waits for
// the coordinator's mapping when detection is unsure). A configuration change, written to the audit log.
import type { Tx } from "../db.ts";
import { errors } from "../errors.ts";
import { writeAudit, type AuditEntry } from "../audit/writeAudit.ts";
import { headersOfSignature } from "./listImportMappings.ts";

export async function deleteImportMapping(tx: Tx, organisationId: string, mappingId: string, actor: Pick<AuditEntry, "actorUserId" | "ip">) {
  const found = await tx.importMapping.findFirst({ where: { id: mappingId, organisationId } });
  // deleteMany: a second click that meets the row already gone answers the same 404 as an unknown id.
  if (!found || (await tx.importMapping.deleteMany({ where: { id: found.id } })).count === 0) throw errors.notFound("Correspondance enregistrée");
  await writeAudit(tx, {
    ...actor, action: "import_mapping.delete", organisationId, targetType: "import_mapping", targetId: found.id,
    details: { kind: found.kind, fileName: found.name, headers: headersOfSignature(found.headerSignature).join(" | ") },
  });
}
