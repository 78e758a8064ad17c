import { db } from "../db.ts";

/** After the last attempt: the import stops with a French message the coordinator can act on. */
export async function markImportFailed(importId: string, err: unknown) {
  const message = err instanceof Error ? err.message : String(err);
  await db().import.updateMany({
    where: { id: importId, status: { in: ["queued", "running"] } },
    data: { status: "failed", finishedAt: new Date(), error: `L'import a échoué : ${message}` },
  });
}
