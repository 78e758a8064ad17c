// Journey: an agent and a supervisor side by side. The agent calls, records consent, books a GP and
// "reached"; the supervisor's board moves without reload (agent state, call, funnel: reached and
// oriented), then the supervisor imposes a pause and the agent's screen says so. Releasing an agent's patient asks
// first, and says the call in progress ends « interrompu ».
import pg from "pg";
import { describe, expect, it } from "vitest";
import { expectAccessible, login, newPage, screenshot, useJourney } from "./browser.ts";

const journey = useJourney({ SIMULATOR_SPEED: "0.05", SIMULATOR_RATES: "1,0,0" });

describe("supervision", () => {
  it("the funnel and the agents' row follow the calls live; a forced pause reaches the agent", async () => {
    const supervisor = await newPage(journey.browser, journey.server.url);
    await login(supervisor, journey.server.users.supervisor.email, journey.server.users.supervisor.password);
    await supervisor.waitForURL("**/supervision");
    const funnel = supervisor.getByRole("table", { name: /^Entonnoir de la campagne/ });
    await expect.poll(() => funnel.count()).toBe(1);
    const reached = funnel.getByRole("row", { name: /^Joints/ });
    const before = Number((await reached.locator("td.num").first().innerText()).trim());

    const agent = await newPage(journey.browser, journey.server.url);
    await login(agent, journey.server.users.agent.email, journey.server.users.agent.password);
    await agent.waitForURL("**/agent");
    const row = supervisor.locator("tr", { hasText: "Anaïs Agente" });
    await agent.getByRole("button", { name: /^(Prêt|Patient suivant|Reprendre)$/ }).click();
    await expect.poll(() => row.innerText()).toMatch(/Avec un patient/);
    await agent.getByRole("button", { name: /^Appeler/ }).click();
    await expect.poll(() => row.innerText(), { timeout: 20_000 }).toMatch(/Décroché/);
    // consent to share identity, then book the first GP proposed: the supervisor's funnel shows it
    const oriented = funnel.getByRole("row", { name: /^Orientés/ });
    const orientedBefore = Number((await oriented.locator("td.num").first().innerText()).trim());
    const capacity = supervisor.locator("section", { has: supervisor.locator("#capacity-title") });
    const placesTaken = async () => [...(await capacity.innerText()).matchAll(/(\d+) prises?\b/g)].reduce((n, m) => n + Number(m[1]), 0);
    const takenBefore = await placesTaken();
    const share = agent.getByRole("group", { name: "Transmettre son identité au médecin ou à l'équipe proposé(e)" });
    await share.getByRole("button", { name: "Oui, accepte" }).click();
    await expect.poll(() => share.getByRole("status").innerText()).toMatch(/^Accordé le/);
    await agent.getByRole("button", { name: /^Réserver chez/ }).first().click();
    await expect.poll(() => agent.getByText(/^Orientation réservée :/).count()).toBe(1);
    // the place booked shows on the board at once, during the call (not at the call's next event, nor the 15 s refresh)
    await expect.poll(placesTaken, { timeout: 3_000 }).toBe(takenBefore + 1);
    // no pause imposed in the middle of a call (the server would refuse it): said on the button
    expect(await row.getByRole("button", { name: "Imposer une pause" }).isDisabled()).toBe(true);
    await agent.locator("body").press("1");
    await expect.poll(() => agent.getByText("Résultat enregistré.").count()).toBe(1);
    await expect.poll(async () => Number((await reached.locator("td.num").first().innerText()).trim()), { timeout: 5_000 }).toBe(before + 1);
    await expect.poll(async () => Number((await oriented.locator("td.num").first().innerText()).trim()), { timeout: 5_000 }).toBe(orientedBefore + 1);
    await expect.poll(() => row.innerText()).toMatch(/Après-appel/);
    await expect.poll(() => supervisor.getByRole("img", { name: /Résultats des appels par heure/ }).count()).toBe(1);
    await expectAccessible(supervisor);
    await screenshot(supervisor, "supervisor-board");

    await row.getByRole("button", { name: "Imposer une pause" }).click();
    await expect.poll(() => supervisor.getByRole("status").filter({ hasText: "Anaïs Agente est en pause." }).count()).toBe(1);
    await expect.poll(() => row.innerText()).toMatch(/Pause imposée/);
    await expect.poll(() => agent.getByText("La supervision vous a mis en pause.").count()).toBe(1);
    await expect.poll(() => agent.getByRole("heading", { name: /^Mon état : En pause \(Pause imposée\)/ }).count()).toBe(1);
    await screenshot(agent, "agent-paused-by-supervisor");
    await agent.context().close();

    // the supervisor reads the campaign's report (aggregates only: no export of the patients' names)
    await supervisor.getByRole("link", { name: /^Rapports des campagnes/ }).click();
    await supervisor.waitForURL("**/supervision/rapports");
    await supervisor.getByRole("link", { name: /^Démo/ }).click();
    await expect.poll(() => supervisor.getByRole("heading", { name: /Entonnoir/ }).count()).toBeGreaterThan(0);
    expect(await supervisor.getByRole("link", { name: /Patients orientés, pour les médecins/ }).count()).toBe(0);
    expect(await supervisor.getByRole("navigation", { name: "Rapports" }).getByRole("link", { name: "Droits des patients" }).count()).toBe(0);
    await expectAccessible(supervisor);
    await screenshot(supervisor, "supervisor-campaign-report");
    await supervisor.context().close();
  });

  it("« Libérer le patient » asks first, names the agent and says the call ends « interrompu »; « Annuler » changes nothing", async () => {
    const supervisor = await newPage(journey.browser, journey.server.url);
    await login(supervisor, journey.server.users.supervisor.email, journey.server.users.supervisor.password);
    await supervisor.waitForURL("**/supervision");
    const agent = await newPage(journey.browser, journey.server.url);
    await login(agent, journey.server.users.agent.email, journey.server.users.agent.password);
    await agent.waitForURL("**/agent");
    await agent.getByRole("button", { name: /^(Prêt|Patient suivant|Reprendre)$/ }).click();
    await agent.getByRole("button", { name: /^Appeler/ }).click();
    const row = supervisor.locator("tr", { hasText: "Anaïs Agente" });
    await expect.poll(() => row.innerText(), { timeout: 20_000 }).toMatch(/Décroché/);

    await row.getByRole("button", { name: "Libérer le patient…" }).click();
    const dialog = supervisor.getByRole("alertdialog", { name: "Libérer le patient tenu par Anaïs Agente ?" });
    await expect.poll(() => dialog.count()).toBe(1);
    expect(await dialog.innerText()).toMatch(/L'appel en cours se termine et il est noté « interrompu » : Anaïs Agente n'en saisira pas le résultat\. Le patient revient dans la file ; Anaïs Agente passe en « Pause imposée »\./);
    expect(await supervisor.evaluate(() => document.activeElement?.textContent)).toBe("Annuler");
    await expectAccessible(supervisor);
    await screenshot(supervisor, "supervisor-release-confirm");
    await supervisor.keyboard.press("Enter"); // on « Annuler », focused
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await row.innerText()).toMatch(/Décroché/); // nothing happened
    expect(await agent.locator(".call-state").innerText()).toMatch(/Décroché/);

    await row.getByRole("button", { name: "Libérer le patient…" }).click();
    await dialog.getByRole("button", { name: "Libérer le patient" }).click();
    await expect.poll(() => supervisor.getByRole("status").filter({ hasText: "Patient tenu par Anaïs Agente libéré : il revient dans la file." }).count()).toBe(1);
    await expect.poll(() => agent.getByText("La supervision a repris votre patient et vous a mis en pause.").count()).toBe(1);
    await expect.poll(() => agent.getByRole("button", { name: "Reprendre" }).count()).toBe(1);
    const db = new pg.Client({ connectionString: journey.server.databaseUrl });
    await db.connect();
    const { rows } = await db.query(`SELECT "outcome", "comment" FROM "CallAttempt" ORDER BY "createdAt" DESC LIMIT 1`);
    await db.end();
    expect(rows).toEqual([{ outcome: "interrupted", comment: "libéré par la supervision" }]);
    await agent.context().close();
    await supervisor.context().close();
  });
});
