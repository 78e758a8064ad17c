// Journey: an admin puts the agent in a team; a coordinator sets a campaign's calling rules (priority order, refusals,
// the team that works it) and pauses it; the agent then gets no patient.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { expectAccessible, login, newPage, screenshot, useJourney } from "./browser.ts";

const journey = useJourney();

describe("calling rules", () => {
  it("the coordinator edits the rules and pauses the campaign; a ready agent then gets nobody", async () => {
    // A delay set through the API: the form shows it and saving keeps it.
    const db = new pg.Client({ connectionString: journey.server.databaseUrl });
    await db.connect();
    await db.query(`UPDATE "Campaign" SET "retryDelays" = '{"language_barrier": 720}' WHERE "name" LIKE 'Démo%'`);

    const admin = await newPage(journey.browser, journey.server.url);
    await login(admin, journey.server.users.admin.email, journey.server.users.admin.password);
    await admin.getByRole("button", { name: "Modifier Anaïs Agente" }).click();
    const edit = admin.getByRole("form", { name: /^Modifier Anaïs Agente/ });
    await edit.getByLabel("Équipe").fill("Plateau de Saint-Étienne");
    await edit.getByRole("button", { name: "Enregistrer" }).click();
    await expect.poll(() => admin.getByRole("cell", { name: "Plateau de Saint-Étienne" }).count()).toBe(1);
    await admin.context().close();

    const page = await newPage(journey.browser, journey.server.url);
    await login(page, journey.server.users.coordinator.email, journey.server.users.coordinator.password);
    await page.waitForURL("**/coordination");
    await page.getByRole("button", { name: /Ouvrir.*Démo/ }).click();
    await expect.poll(() => page.getByRole("heading", { name: /Règles d'appel — campagne en cours/ }).count()).toBe(1);
    await page.getByLabel("Mode de numérotation").selectOption("progressive");
    await page.getByLabel("Tentatives au plus").fill("5");
    // hours as people type them are read; a day that is not a window says which and why
    await page.getByLabel("Samedi").fill("10h-12h");
    await page.getByLabel("Dimanche").fill("le matin");
    await page.getByRole("button", { name: "Enregistrer les règles" }).click();
    await expect.poll(() => page.getByRole("alert").innerText()).toBe("Dimanche : « le matin » n'est pas une plage ; écrivez par exemple « 10:00-13:00, 14:00-20:00 ».");
    await page.getByLabel("Dimanche").fill("");
    await page.getByLabel("Médecins proposés à moins de (km)").fill("20");
    expect(await page.getByLabel("Délai après « barrière de la langue » (min)").inputValue()).toBe("720");
    await page.getByLabel("Délai après « autre » (min)").fill("2880");
    // a refusal: called again after 90 days rather than never
    await page.getByLabel("Après un refus").selectOption({ label: "Rappeler après une pause" });
    await page.getByLabel("Pause après un refus (jours)").fill("90");
    // CSS beneficiaries first
    await page.getByRole("button", { name: "Monter Bénéficiaires de la CSS" }).click();
    await page.getByRole("button", { name: "Monter Bénéficiaires de la CSS" }).click();
    expect(await page.locator(".priority-order li").allInnerTexts()).toEqual([
      expect.stringMatching(/^Bénéficiaires de la CSS/), expect.stringMatching(/^Patients en ALD/), expect.stringMatching(/^Patients de 70 ans/), expect.stringMatching(/^Tous les autres/),
    ]);
    // the campaign's team: its agent is ticked by it (none ticked would mean every agent)
    await page.getByRole("group", { name: /^Équipes de la campagne/ }).getByLabel("Plateau de Saint-Étienne").check();
    await expect.poll(() => page.getByRole("group", { name: /^Agents de la campagne/ }).getByText("Anaïs Agente (Plateau de Saint-Étienne, par son équipe)").count()).toBe(1);
    await page.getByRole("button", { name: "Enregistrer les règles" }).click();
    await expect.poll(() => page.getByText(/^Règles d'appel enregistrées\. Les patients à appeler sont reclassés/).count()).toBe(1);
    const { rows: [saved] } = await db.query(`SELECT "retryDelays", "refusalPauseDays", "priorityOrder", "agentTeams" FROM "Campaign" WHERE "name" LIKE 'Démo%' AND "retryDelays" ? 'no_answer'`);
    expect(saved).toMatchObject({
      retryDelays: { language_barrier: 720, other: 2880, no_answer: expect.any(Number) }, refusalPauseDays: 90,
      priorityOrder: ["css", "ald", "age70", "other"], agentTeams: ["Plateau de Saint-Étienne"],
    });
    await db.end();
    await page.reload(); // the campaign stays open (its address says which), its rules as stored
    await expect.poll(() => page.getByLabel("Samedi").inputValue()).toBe("10:00-12:00");
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
    // the agent stayed ready: the dialer hands them the next patient without a click, and in progressive mode
    // the call starts by itself
    await expect.poll(() => agent.locator(".call-state").count(), { timeout: 20_000 }).toBe(1);
    await page.context().close();
    await agent.context().close();
  });

  it("a new campaign opens at once; closing it asks first; a closed campaign takes no more listings", async () => {
    const page = await newPage(journey.browser, journey.server.url);
    await login(page, journey.server.users.coordinator.email, journey.server.users.coordinator.password);
    await page.waitForURL("**/coordination");
    await page.getByLabel("Nom de la campagne").fill("Campagne à clôturer");
    await page.getByRole("button", { name: "Créer la campagne" }).click();
    // opened below the list, its row marked, ready for its listing
    await expect.poll(() => page.getByRole("heading", { name: /^Campagne à clôturer/ }).count()).toBe(1);
    await expect.poll(() => page.getByRole("row", { name: /Campagne à clôturer/ }).getAttribute("aria-current")).toBe("true");
    expect(await page.getByLabel("Nom de la campagne").inputValue()).toBe("");
    await expect.poll(() => page.getByLabel("Fichier du listing").count()).toBe(1);
    await screenshot(page, "coordinator-campaign-created");
    await page.getByRole("button", { name: "Clôturer…" }).click();
    const dialog = page.getByRole("alertdialog", { name: "Clôturer définitivement la campagne ?" });
    await expect.poll(() => dialog.count()).toBe(1);
    await page.getByRole("button", { name: "Annuler" }).click();
    await expect.poll(() => page.getByRole("heading", { name: /Règles d'appel — campagne brouillon/ }).count()).toBe(1);
    await page.getByRole("button", { name: "Clôturer…" }).click();
    await expectAccessible(page);
    await screenshot(page, "coordinator-close-campaign");
    await page.getByRole("button", { name: "Clôturer définitivement" }).click();
    await expect.poll(() => page.getByRole("heading", { name: /Règles d'appel — campagne clôturée/ }).count()).toBe(1);
    await expect.poll(() => page.getByText("Campagne clôturée : elle ne reçoit plus de listing.").count()).toBe(1);
    expect(await page.getByLabel("Fichier du listing").count()).toBe(0);
    await page.context().close();
  });
});
