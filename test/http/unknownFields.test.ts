// A field a route does not know is refused with its name, not silently dropped: a misspelt option did nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeCampaign } from "../factories/campaigns.ts";
import { loginAs, startTestApp, type LoggedIn, type TestApp } from "../helpers/api.ts";

let t: TestApp;
let coordinator: LoggedIn;
let admin: LoggedIn;
beforeAll(async () => {
  t = await startTestApp();
  coordinator = await loginAs(t.app, "coordinator");
  admin = await loginAs(t.app, "admin", coordinator.user.organisationId);
});
afterAll(() => t.close());

describe("unknown fields in a body", () => {
  it("are refused with their names and the fields the route takes; nothing is changed", async () => {
    const campaign = await makeCampaign(coordinator.user.organisationId);
    const res = await coordinator.agent.put(`/api/campaigns/${campaign.id}/rules`).set("x-csrf-token", coordinator.csrf)
      .send({ maxAttempts: 6, priorityOrdre: ["css", "ald", "age70", "other"] }).expect(400);
    expect(res.body.error.message).toMatch(/^Données invalides : champ inconnu « priorityOrdre » \(champs acceptés : dialMode, callingWindows, .*priorityOrder.*\)\.$/);
    const after = await coordinator.agent.get(`/api/campaigns/${campaign.id}`).expect(200);
    expect(after.body.maxAttempts).toBe(4);
  });

  it("are found inside nested objects too, named by their path", async () => {
    const res = await admin.agent.post("/api/users").set("x-csrf-token", admin.csrf)
      .send({ email: "x@test.fr", name: "X", role: "agent", password: "mot-de-passe-long-12", telephone: "0612345678", equipe: "Lyon" }).expect(400);
    expect(res.body.error.message).toMatch(/^Données invalides : champs inconnus « telephone », « equipe » \(champs acceptés : email, name, role, password, phone, team\)\.$/);
    const nested = await admin.agent.post("/api/organisations").set("x-csrf-token", admin.csrf)
      .send({ kind: "CPTS", name: "CPTS imbriquée", territory: ["42218"], admin: { name: "A", email: "a@test.fr", password: "mot-de-passe-long-12", motDePasse: "x" } }).expect(400);
    expect(nested.body.error.message).toMatch(/^Données invalides : champ inconnu « admin\.motDePasse » \(champs acceptés : admin\.email, admin\.name, admin\.password, admin\.phone, admin\.team\)\.$/);
  });
});
