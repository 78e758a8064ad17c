// A listing's "today" is the organisation's calendar date: in Nouméa (UTC+11) it is already tomorrow when it
// is 23:30 in Paris, so a patient who turns 17 that day is eligible there, and a baby born that day is not "born
// in the future". The same file imported by a Paris organisation at the same instant tells the two apart.
import { Readable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { db } from "../../server/db.ts";
import { pgPool } from "../../server/pgPool.ts";
import { storeUpload } from "../../server/imports/storeUpload.ts";
import { prepareImport } from "../../server/imports/prepareImport.ts";
import { runImport } from "../../server/imports/runImport.ts";
import { explainNotCalled } from "../../server/dialer/explainNotCalled.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { LISTING_HEADER } from "../factories/listings.ts";

const INSTANT = new Date("2026-12-01T22:30:00Z"); // 23:30 on 1 December in Paris, 09:30 on 2 December in Nouméa
const LISTING = [
  LISTING_HEADER,
  "P1;DIX-SEPT;Ana;02/12/2009;F;98818;06 12 34 56 78;;O;N", // 17 on 2 December
  "P2;NAISSANCE;Léo;02/12/2026;M;98818;06 12 34 56 79;;N;N", // born on 2 December
].join("\r\n");

async function importAt(timeZone: string) {
  const org = await makeOrganisation({ territory: ["98818"] });
  await pgPool().query(`UPDATE "Organisation" SET "timeZone" = $2 WHERE "id" = $1`, [org.id, timeZone]);
  const campaign = await makeCampaign(org.id);
  const stored = await storeUpload(db(), { organisationId: org.id, campaignId: campaign.id, kind: "patients", fileName: "liste.csv", createdByLabel: "test" }, Readable.from([Buffer.from(LISTING)]));
  expect((await prepareImport(db(), stored.id)).ready).toBe(true);
  vi.setSystemTime(INSTANT);
  await runImport(stored.id);
  const explained = await explainNotCalled(pgPool(), { campaignId: campaign.id, organisationId: org.id }, (await enrolmentOf(campaign.id, "DIX-SEPT")).id, INSTANT);
  vi.useRealTimers();
  const imp = await db().import.findUniqueOrThrow({ where: { id: stored.id } });
  const rejections = await db().importRejection.findMany({ where: { importId: stored.id } });
  return { campaign, imp, rejections, explained };
}

async function enrolmentOf(campaignId: string, lastName: string) {
  const { rows: [e] } = await pgPool().query<{ id: string; eligible: boolean; ineligibleReason: string | null; priorityLabel: string }>(
    `SELECT e."id", e."eligible", e."ineligibleReason", e."priorityLabel" FROM "Enrolment" e JOIN "Patient" p ON p."id" = e."patientId"
     WHERE e."campaignId" = $1 AND p."lastName" = $2`, [campaignId, lastName]);
  return e;
}

afterEach(() => vi.useRealTimers());

describe("ages on the organisation's calendar date", () => {
  it("Nouméa: 17 today and eligible; born today, accepted", async () => {
    const { campaign, imp, rejections, explained } = await importAt("Pacific/Noumea");
    expect({ accepted: imp.accepted, rejected: imp.rejected }).toEqual({ accepted: 2, rejected: 0 });
    expect(rejections).toEqual([]);
    expect(await enrolmentOf(campaign.id, "DIX-SEPT")).toMatchObject({ eligible: true, priorityLabel: "ALD, 17 ans, sans MT" });
    expect(await enrolmentOf(campaign.id, "NAISSANCE")).toMatchObject({ eligible: false, ineligibleReason: "moins de 17 ans" });
    expect(explained.reasons.map((r) => r.code)).not.toContain("ineligible");
  });

  it("Paris, same instant: still 16, and a birth date in the future", async () => {
    const { campaign, imp, rejections, explained } = await importAt("Europe/Paris");
    expect({ accepted: imp.accepted, rejected: imp.rejected }).toEqual({ accepted: 1, rejected: 1 });
    expect(rejections.map((r) => [r.line, r.reason])).toEqual([[3, "date de naissance dans le futur : « 02/12/2026 »"]]);
    expect(await enrolmentOf(campaign.id, "DIX-SEPT")).toMatchObject({ eligible: false, ineligibleReason: "moins de 17 ans" });
    expect(explained.reasons.map((r) => r.text).join(" ")).toContain("moins de 17 ans");
  });
});
