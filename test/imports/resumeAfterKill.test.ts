// Rule: nothing half-written. A worker killed (-9) mid-import leaves whole batches only; the
// next run resumes from the checkpoint and the result equals an uninterrupted import.
import { spawn } from "node:child_process";
import { Readable } from "node:stream";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { storeUpload } from "../../server/imports/storeUpload.ts";
import { prepareImport } from "../../server/imports/prepareImport.ts";
import { runImport } from "../../server/imports/runImport.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { encodeCpam, generateListing } from "../factories/listings.ts";
import { ROOT } from "../helpers/run.ts";

async function uploadGenerated(rows: number) {
  const org = await makeOrganisation();
  const campaign = await makeCampaign(org.id);
  const file = encodeCpam(generateListing(rows, 7).text);
  const stored = await storeUpload(db(), { organisationId: org.id, campaignId: campaign.id, kind: "patients", fileName: "gros.csv", createdByLabel: "test" }, Readable.from([file]));
  expect((await prepareImport(db(), stored.id)).ready).toBe(true);
  return { org, campaign, importId: stored.id };
}

describe("import killed mid-way", () => {
  it("resumes from its checkpoint without duplicate or lost rows", { timeout: 240_000 }, async () => {
    const rows = 30_000;
    const killed = await uploadGenerated(rows);
    const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, "test/imports/runImportChild.ts"), killed.importId], {
      env: { ...process.env, LOG_LEVEL: "silent" },
      stdio: "ignore",
      detached: true, // its own process group: tsx runs node as a child, and both must die
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    // wait until at least one batch is committed, then kill -9
    for (;;) {
      const imp = await db().import.findUniqueOrThrow({ where: { id: killed.importId } });
      if (imp.lastLine > 0) break;
      if (child.exitCode !== null) throw new Error("the import finished before it could be killed");
      await new Promise((r) => setTimeout(r, 20));
    }
    process.kill(-child.pid!, "SIGKILL");
    await exited;
    const interrupted = await db().import.findUniqueOrThrow({ where: { id: killed.importId } });
    expect(interrupted.status).toBe("running");
    expect(interrupted.rowsRead).toBeLessThan(rows);
    // every committed batch is whole: rows read = accepted + merged + rejected, sources match
    expect(interrupted.accepted + interrupted.merged + interrupted.rejected).toBe(interrupted.rowsRead);

    await runImport(killed.importId);

    const reference = await uploadGenerated(rows);
    await runImport(reference.importId);
    const [a, b] = await Promise.all([killed, reference].map((x) => db().import.findUniqueOrThrow({ where: { id: x.importId } })));
    expect(a.status).toBe("done");
    expect({ rows: a.rowsRead, accepted: a.accepted, merged: a.merged, rejected: a.rejected, skipped: a.skipped })
      .toEqual({ rows: b.rowsRead, accepted: b.accepted, merged: b.merged, rejected: b.rejected, skipped: b.skipped });
    expect(a.rowsRead).toBe(rows);
    const count = (organisationId: string) => db().patient.count({ where: { organisationId } });
    expect(await count(killed.org.id)).toBe(await count(reference.org.id));
    expect(await db().patientSource.count({ where: { importId: killed.importId } })).toBe(a.accepted + a.merged);
    expect(await db().importRejection.count({ where: { importId: killed.importId } })).toBe(a.rejected);
  });
});
