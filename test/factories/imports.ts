// A listing or a roster imported as the console does it: stored, prepared (its mapping recognised), run.
import { Readable } from "node:stream";
import { expect } from "vitest";
import { db } from "../../server/db.ts";
import { storeUpload } from "../../server/imports/storeUpload.ts";
import { prepareImport } from "../../server/imports/prepareImport.ts";
import { runImport } from "../../server/imports/runImport.ts";

/** Imports `lines` (CRLF-joined) into the campaign (a patient listing) or, with no campaign, the organisation's
 * roster; the import must end "done" with `rejected` rows rejected (none by default). Returns the import with its
 * remarks and rejections by line. */
export async function importFile(org: { id: string }, campaignId: string | null, lines: string[], expected: { rejected?: number } = {}) {
  const stored = await storeUpload(db(), { organisationId: org.id, campaignId, kind: campaignId ? "patients" : "gps", fileName: "liste.csv", createdByLabel: "test" },
    Readable.from([Buffer.from(lines.join("\r\n"))]));
  expect((await prepareImport(db(), stored.id)).ready).toBe(true);
  await runImport(stored.id);
  const imp = await db().import.findUniqueOrThrow({ where: { id: stored.id } });
  expect(imp).toMatchObject({ status: "done", rejected: expected.rejected ?? 0 });
  const remarks = Object.fromEntries((await db().importRemark.findMany({ where: { importId: imp.id } })).map((r) => [r.line, r.remark]));
  const rejections = Object.fromEntries((await db().importRejection.findMany({ where: { importId: imp.id } })).map((r) => [r.line, r.reason]));
  return { ...imp, remarks, rejections };
}
