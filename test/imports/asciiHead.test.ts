// A Windows-1252 listing whose first megabyte is plain ASCII (upper-case names, no accent) is decoded by its first
// accented byte, wherever it comes: « Hélène » and « Œdipe D’Arc » are stored as written, never as U+FFFD. Plain
// ASCII says nothing of the encoding, so it does not make the coordinator confirm the columns either.
import { Readable } from "node:stream";
import iconv from "iconv-lite";
import { expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { pgPool } from "../../server/pgPool.ts";
import { storeUpload } from "../../server/imports/storeUpload.ts";
import { prepareImport } from "../../server/imports/prepareImport.ts";
import { runImport } from "../../server/imports/runImport.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { LISTING_HEADER } from "../factories/listings.ts";

it("decodes the accents of a Windows-1252 listing that starts with a megabyte of ASCII", async () => {
  const org = await makeOrganisation();
  const campaign = await makeCampaign(org.id);
  const lines = [LISTING_HEADER];
  for (let i = 1; i <= 20_000; i++) lines.push(`A${i};DUPONT;JEAN;01/01/1950;M;42218;06 12 ${String(10 + (i % 90))} ${String(10 + ((i >> 4) % 90))} ${String(10 + ((i >> 8) % 90))};;O;N`);
  lines.push("LATE1;LATEB;Hélène;02/02/1952;F;42218;06 98 76 54 32;;O;N", "LATE2;LATEC;Œdipe D’Arc;03/03/1953;M;42218;06 98 76 54 33;;O;N");
  const file = iconv.encode(lines.join("\r\n"), "windows-1252");
  expect(file.subarray(0, 1_000_000).every((b) => b < 0x80)).toBe(true);
  const stored = await storeUpload(db(), { organisationId: org.id, campaignId: campaign.id, kind: "patients", fileName: "liste.csv", createdByLabel: "test" }, Readable.from([file]));
  expect(await prepareImport(db(), stored.id)).toMatchObject({ ready: true });
  await runImport(stored.id);
  const { rows } = await pgPool().query(`SELECT "firstName" FROM "Patient" WHERE "organisationId" = $1 AND "externalId" LIKE 'LATE%' ORDER BY "externalId"`, [org.id]);
  expect(rows.map((r) => r.firstName)).toEqual(["Hélène", "Œdipe D’Arc"]);
});
