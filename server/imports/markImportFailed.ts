import { db } from "../db.ts";

/**
 * After the last attempt: the import stops with a French message the coordinator can act on. What went wrong
 * is technical (the database, the import's process, an import that cannot run): the worker's log has it, with
 * the import's id; the coordinator is told what to do.
 */
export const IMPORT_FAILED_MESSAGE =
  "L'import a échoué sur une erreur technique, consignée dans le journal du serveur. Déposez à nouveau le fichier ; si l'échec se répète, prévenez l'administrateur.";

export async function markImportFailed(importId: string) {
  await db().import.updateMany({
    where: { id: importId, status: { in: ["queued", "running"] } },
    data: { status: "failed", finishedAt: new Date(), error: IMPORT_FAILED_MESSAGE },
  });
}
