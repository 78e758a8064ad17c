// Journey: a coordinator asks why a patient of the demo campaign is not called — found by name, or
// by the identifier of the patient export — and reads the dialer's reasons in French.
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { expectAccessible, login, newPage, screenshot, SCREENSHOTS, useJourney } from "./browser.ts";

const journey = useJourney();

async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: journey.server.databaseUrl });
  await c.connect();
  try {
    return (await c.query<T>(sql, values)).rows;
  } finally {
    await c.end();
  }
}

describe("why a patient is not called", () => {
  it("found by name: ineligible, with the reason; by identifier: the next try after a retry delay", async () => {
    // a patient of the demo listing found to have a GP at the last import, and another one just tried without an answer
    const [ineligible] = await query<{ lastName: string; firstName: string; ineligibleReason: string }>(
      `WITH e AS (UPDATE "Enrolment" SET "eligible" = false, "ineligibleReason" = 'a déjà un médecin traitant', "priorityLabel" = replace("priorityLabel", 'sans MT', 'avec MT')
                  WHERE "id" = (SELECT e."id" FROM "Enrolment" e JOIN "Patient" p ON p."id" = e."patientId" WHERE p."firstName" IS NOT NULL ORDER BY e."id" DESC LIMIT 1)
                  RETURNING "patientId", "ineligibleReason")
       SELECT p."lastName", p."firstName", e."ineligibleReason" FROM e JOIN "Patient" p ON p."id" = e."patientId"`);
    expect(ineligible).toBeDefined();
    const [retried] = await query<{ patientId: string }>(
      `UPDATE "Enrolment" SET "dueAt" = now() + interval '4 hours', "lastOutcome" = 'no_answer', "attempts" = 1
       WHERE "id" = (SELECT "id" FROM "Enrolment" WHERE "eligible" AND "dialState" = 'waiting' ORDER BY "id" LIMIT 1) RETURNING "patientId"`);

    const page = await newPage(journey.browser, journey.server.url);
    await login(page, journey.server.users.coordinator.email, journey.server.users.coordinator.password);
    await page.waitForURL("**/coordination");
    await page.getByRole("button", { name: /Ouvrir.*Démo/ }).click();
    const panel = page.locator("section.why-not-called");
    await expect.poll(() => panel.getByRole("heading", { name: "Pourquoi ce patient n'est pas appelé ?" }).count()).toBe(1);

    const byId = panel.getByRole("form", { name: "Par identifiant" });
    await byId.getByLabel("Identifiant du patient").fill(retried.patientId);
    await byId.getByRole("button", { name: "Expliquer" }).click();
    await expect.poll(() => panel.getByRole("status").innerText()).toMatch(/Pas appelé maintenant : il pourra l'être le \w+ \d\d\/\d\d\/\d{4} à \d\d:\d\d \(heure de Paris\)\./);
    await expect.poll(() => panel.locator(".reasons li").first().innerText()).toMatch(/^Prochain essai possible le .* : délai de 4 h après « Pas de réponse »\.$/);

    await panel.getByLabel("Ou rechercher par nom").fill(`${ineligible.lastName} ${ineligible.firstName}`.toLowerCase());
    await panel.getByRole("button", { name: "Rechercher" }).click();
    const match = panel.getByRole("list", { name: /^Patients trouvés/ }).locator("li", { hasText: ineligible.firstName }).first();
    await expect.poll(() => match.count()).toBe(1);
    await match.getByRole("button", { name: /^Expliquer : / }).click();
    await expect.poll(() => panel.locator(".reasons").innerText()).toContain(`Non éligible à cette campagne : ${ineligible.ineligibleReason}`);
    await expect.poll(() => panel.getByRole("status").innerText()).toMatch(/^.+ — Pas appelé maintenant : \d raisons?\.$/);
    await panel.scrollIntoViewIfNeeded();
    await expectAccessible(page);
    await screenshot(page, "coordinator-why-not-called");
    await panel.screenshot({ path: path.join(SCREENSHOTS, "coordinator-why-not-called-panel.png") });

    // a malformed identifier is refused in French before asking the server
    await byId.getByLabel("Identifiant du patient").fill("1234");
    await byId.getByRole("button", { name: "Expliquer" }).click();
    await expect.poll(() => panel.getByRole("alert").innerText()).toBe("Identifiant invalide : copiez la colonne « Identifiant » de l'export des patients.");
    await page.context().close();
  });
});
