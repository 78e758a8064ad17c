// A multipart body cut before its closing boundary: 400 with a French message on every upload route, nothing stored,
// and the process goes on (the file stream's error was unhandled and stopped the whole server).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("malformed multipart uploads", () => {
  it("answer 400 on every upload route and leave nothing behind", async () => {
    const me = await loginAs(t.app, "coordinator");
    const campaign = await makeCampaign(me.user.organisationId);
    const cut = '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nNOM;PRENOM\r\nDUPONT;Marie\r\n';
    for (const path of [`/api/campaigns/${campaign.id}/imports`, "/api/rosters/imports", "/api/oppositions/imports", "/api/declarations/answers"]) {
      const res = await me.agent.post(path).set("X-CSRF-Token", me.csrf).set("Content-Type", "multipart/form-data; boundary=XX").send(cut);
      expect([path, res.status, res.body.error?.message]).toEqual([path, 400, "Requête multipart mal formée ou interrompue."]);
    }
    expect(await db().import.count({ where: { organisationId: me.user.organisationId } })).toBe(0);
    await me.agent.get("/api/auth/session").expect(200); // still serving
  });
});
