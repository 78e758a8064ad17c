import { inTransaction } from "../pgPool.ts";

/**
 * After the last attempt: the import stops with a French message the coordinator can act on. What went wrong
 * is technical (the database, the import's process, an import that cannot run): the worker's log has it, with
 * the import's id; the coordinator is told what to do. The uploaded file goes with it, as when an import is done:
 * it will not be read again (the coordinator uploads it anew) and it holds the listing's identities in clear.
 */
export const IMPORT_FAILED_MESSAGE =
  "L'import a échoué sur une erreur technique, consignée dans le journal du serveur. Déposez à nouveau le fichier ; si l'échec se répète, prévenez l'administrateur.";

export async function markImportFailed(importId: string) {
  await inTransaction(async (c) => {
    const { rowCount } = await c.query(
      `UPDATE "Import" SET "status" = 'failed', "finishedAt" = now(), "error" = $2 WHERE "id" = $1 AND "status" IN ('queued', 'running')`,
      [importId, IMPORT_FAILED_MESSAGE],
    );
    if (rowCount) await c.query(`DELETE FROM "ImportChunk" WHERE "importId" = $1`, [importId]);
  });
}
