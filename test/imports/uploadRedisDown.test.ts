// A listing sent while Redis is down is refused before anything is stored: the coordinator's retry,
// once Redis is back, is then the only import of that file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../../server/http/services.ts";
import { db } from "../../server/db.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("upload while Redis is down", () => {
  it("answers 503 in French and keeps neither the file nor an import", async () => {
    const me = await loginAs(t.app, "coordinator");
    const campaign = await makeCampaign(me.user.organisationId);
    const listing = Buffer.from("NOM;PRENOM;DDN;TEL;INSEE\r\n" + "DUPONT;Jean;01/01/1950;0612345678;42218\r\n".repeat(50));
    (t.app.locals.services as Services).redis.disconnect(); // the web process's producer connection, gone
    const res = await me.agent.post(`/api/campaigns/${campaign.id}/imports`).set("X-CSRF-Token", me.csrf).attach("file", listing, "liste.csv").expect(503);
    expect(res.body.error).toEqual({ code: "service_unavailable", message: "Service momentanément indisponible (Redis). Réessayez dans un instant." });
    expect(await db().import.count({ where: { campaignId: campaign.id } })).toBe(0);
    expect(await db().importChunk.count({ where: { import: { campaignId: campaign.id } } })).toBe(0);
  });
});
