// A coordinator changes the priority order while a long listing is being imported: the batches written after the
// change rank by the new order, and a batch never commits with an order read before a change it could miss — the
// change waits for the batch, or the batch for the change (decision 021).
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import pg from "pg";
import { db } from "../../server/db.ts";
import { env } from "../../server/env.ts";
import { pgPool } from "../../server/pgPool.ts";
import { storeUpload } from "../../server/imports/storeUpload.ts";
import { prepareImport } from "../../server/imports/prepareImport.ts";
import { BATCH_ROWS, runImport } from "../../server/imports/runImport.ts";
import { assessPatient } from "../../server/eligibility/assessPatient.ts";
import { calendarDate } from "../../server/organisations/timeZone.ts";
import type { PriorityGroup } from "../../server/campaigns/schemas.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { encodeCpam, generateListing } from "../factories/listings.ts";

const NEW_ORDER: PriorityGroup[] = ["css", "other", "age70", "ald"];

describe("a new priority order during an import", () => {
  it("the batches after it rank by it, and a batch waits for a change not yet committed instead of ranking by the old order", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id);
    const listing = generateListing(BATCH_ROWS * 2 + 500, 7);
    const stored = await storeUpload(db(), { organisationId: org.id, campaignId: campaign.id, kind: "patients", fileName: "liste.csv", createdByLabel: "test" },
      Readable.from([encodeCpam(listing.text)]));
    expect((await prepareImport(db(), stored.id)).ready).toBe(true);

    // After the first batch: the coordinator's change is written but not yet committed, and commits a second later.
    const coordinator = new pg.Client({ connectionString: env().DATABASE_URL });
    await coordinator.connect();
    let firstBatchLine = 0;
    let committed: Promise<void> | null = null;
    await runImport(stored.id, async (p) => {
      if (committed) return;
      firstBatchLine = p.lastLine;
      await coordinator.query("BEGIN");
      await coordinator.query(`UPDATE "Campaign" SET "priorityOrder" = $2, "reorderPending" = true WHERE "id" = $1`, [campaign.id, NEW_ORDER]);
      committed = new Promise((resolve) => setTimeout(resolve, 1000)).then(async () => {
        await coordinator.query("COMMIT");
      });
    });
    await committed;
    await coordinator.end();
    expect((await db().import.findUniqueOrThrow({ where: { id: stored.id } })).status).toBe("done");

    // Every patient first written after the first batch has the new order's rank, without any reordering having run.
    const today = calendarDate(new Date(), "Europe/Paris");
    const { rows } = await pgPool().query(
      `SELECT e."priority", to_char(p."birthDate", 'YYYY-MM-DD') AS "birthDate", p."ald", p."css", p."hasMt", min(s."line") AS "firstLine"
       FROM "Enrolment" e JOIN "Patient" p ON p."id" = e."patientId" JOIN "PatientSource" s ON s."patientId" = p."id" AND s."importId" = $2
       WHERE e."campaignId" = $1 GROUP BY e."id", p."id"`, [campaign.id, stored.id]);
    const later = rows.filter((r) => r.firstLine > firstBatchLine);
    expect(later.length).toBeGreaterThan(BATCH_ROWS);
    const rank = (r: (typeof rows)[number], order: PriorityGroup[]) =>
      assessPatient({ birthDate: r.birthDate, ald: r.ald, css: r.css, hasMt: r.hasMt, optOut: false, consentContact: null, phoneCount: 1 }, { priorityOrder: order, requiresContactConsent: false }, today).priority;
    expect(later.filter((r) => r.priority !== rank(r, NEW_ORDER))).toEqual([]);
    // (the old order would rank many of them otherwise: the check above can fail)
    expect(later.filter((r) => rank(r, NEW_ORDER) !== rank(r, ["ald", "age70", "css", "other"])).length).toBeGreaterThan(100);
    // the first batch's are left to the background reordering, which the change asked for
    expect((await db().campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reorderPending).toBe(true);
  });
});
