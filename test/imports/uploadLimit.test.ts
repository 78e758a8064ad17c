// The upload size limit is configurable, its error is clear, and nothing is left behind.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.UPLOAD_LIMIT_MB = "0.01"; // about 10 KB
});

import { db } from "../../server/db.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("upload limit", () => {
  it("answers 413 with the limit in French and keeps no partial file", async () => {
    const me = await loginAs(t.app, "coordinator");
    const campaign = await makeCampaign(me.user.organisationId);
    const before = await db().import.count();
    const big = Buffer.from("NOM;PRENOM;DDN;TEL;INSEE\r\n" + "DUPONT;Jean;01/01/1950;0612345678;42218\r\n".repeat(2000));
    const res = await me.agent.post(`/api/campaigns/${campaign.id}/imports`).set("X-CSRF-Token", me.csrf).attach("file", big, "gros.csv").expect(413);
    expect(res.body.error).toEqual({ code: "file_too_large", message: "Fichier trop volumineux : la limite est de 0.01 Mo (UPLOAD_LIMIT_MB)." });
    expect(await db().import.count()).toBe(before);
    expect(await db().importChunk.count({ where: { import: { campaignId: campaign.id } } })).toBe(0);
  });
});
