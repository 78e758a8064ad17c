// Journey: a coordinator sets a campaign's calling rules and pauses it; the agent then gets no patient.
import { describe, expect, it } from "vitest";
import { expectAccessible, login, newPage, screenshot, useJourney } from "./browser.ts";

const journey = useJourney();

describe("calling rules", () => {
  it("the coordinator edits the rules and pauses the campaign; a ready agent then gets nobody", async () => {
    const page = await newPage(journey.browser, journey.server.url);
    await login(page, journey.server.users.coordinator.email, journey.server.users.coordinator.password);
    await page.waitForURL("**/coordination");
    await page.getByRole("button", { name: /Ouvrir.*Démo/ }).click();
    await expect.poll(() => page.getByRole("heading", { name: /Règles d'appel — campagne en cours/ }).count()).toBe(1);
    await page.getByLabel("Mode de numérotation").selectOption("progressive");
    await page.getByLabel("Tentatives au plus").fill("5");
    await page.getByLabel("Samedi").fill("10:00-12:00");
    await page.getByLabel("Médecins proposés à moins de (km)").fill("20");
    // the campaign's agents: the demo agent only (none ticked would mean every agent)
    await page.getByRole("group", { name: /^Agents de la campagne/ }).getByLabel("Anaïs Agente").check();
    await page.getByRole("button", { name: "Enregistrer les règles" }).click();
    await expect.poll(() => page.getByText("Règles d'appel enregistrées.").count()).toBe(1);
    await page.getByRole("button", { name: "Mettre en pause" }).click();
    await expect.poll(() => page.getByRole("heading", { name: /Règles d'appel — campagne en pause/ }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, "coordinator-calling-rules");

    const agent = await newPage(journey.browser, journey.server.url);
    await login(agent, journey.server.users.agent.email, journey.server.users.agent.password);
    await agent.waitForURL("**/agent");
    await agent.getByRole("button", { name: "Prêt" }).click();
    await expect.poll(() => agent.getByText(/Aucun patient à appeler pour le moment/).count()).toBe(1);

    await page.getByRole("button", { name: "Démarrer la campagne" }).click();
    await expect.poll(() => page.getByRole("heading", { name: /campagne en cours/ }).count()).toBe(1);
    await agent.getByRole("button", { name: "Prêt" }).click();
    // progressive mode: the call starts by itself
    await expect.poll(() => agent.locator(".call-state").count(), { timeout: 20_000 }).toBe(1);
    await page.context().close();
    await agent.context().close();
  });
});
