// An upload is kept in PostgreSQL in chunks of at most CHUNK_BYTES, whatever pieces its stream hands in.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { CHUNK_BYTES, storeUpload } from "../../server/imports/storeUpload.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { makeOrganisation } from "../factories/organisations.ts";

describe("storeUpload", () => {
  it("cuts a file handed in whole into chunks of at most 1 MiB, and the chunks give the file back", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id);
    const file = Buffer.alloc(2 * CHUNK_BYTES + 1234, "DUPONT;Jean;01/01/1950;0612345678;42218\r\n");
    const stored = await storeUpload(db(), { organisationId: org.id, campaignId: campaign.id, kind: "patients", fileName: "entier.csv" }, Readable.from([file]));
    const chunks = await db().importChunk.findMany({ where: { importId: stored.id }, orderBy: { seq: "asc" } });
    expect(chunks.map((c) => c.data.length)).toEqual([CHUNK_BYTES, CHUNK_BYTES, 1234]);
    expect(Buffer.concat(chunks.map((c) => Buffer.from(c.data))).equals(file)).toBe(true);
    expect(stored.fileSize).toBe(BigInt(file.length));
  });
});
