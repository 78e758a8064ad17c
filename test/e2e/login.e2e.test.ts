// Journey: each role logs in and lands on its own French space; wrong password; admin creates a user; logout.
import { describe, expect, it } from "vitest";
import type { Role } from "../../shared-types/events.ts";
import { expectAccessible, login, newPage, screenshot, useJourney } from "./browser.ts";

const journey = useJourney();

const SPACES: Record<Role, { path: string; heading: string }> = {
  admin: { path: "/admin", heading: "Administration" },
  coordinator: { path: "/coordination", heading: "Coordination" },
  supervisor: { path: "/supervision", heading: "Supervision" },
  agent: { path: "/agent", heading: "Espace agent" },
};

describe("login and role spaces", () => {
  for (const role of Object.keys(SPACES) as Role[]) {
    it(`${role} lands on their space, live connection shown`, async () => {
      const page = await newPage(journey.browser, journey.server.url);
      await login(page, journey.server.users[role].email, journey.server.users[role].password);
      await page.waitForURL(`**${SPACES[role].path}`);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe(SPACES[role].heading);
      await expect.poll(() => page.getByRole("status").filter({ hasText: "Connecté" }).count()).toBe(1);
      if (role === "coordinator" || role === "supervisor") await expect.poll(() => page.getByText("Démo — patients ALD sans médecin traitant").count()).toBeGreaterThan(0);
      if (role === "agent") await expect.poll(() => page.getByRole("button", { name: "Prêt" }).count()).toBe(1);
      await expectAccessible(page);
      await screenshot(page, role);
      // on a phone-sized window the page does not scroll sideways: wide tables scroll inside their panel
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      if (role === "supervisor") await screenshot(page, "supervisor-narrow");
      await page.setViewportSize({ width: 1366, height: 768 });
      // another role's space sends them back to their own
      const other = role === "agent" ? "/admin" : "/agent";
      await page.goto(other);
      await page.waitForURL(`**${SPACES[role].path}`);
      await page.context().close();
    });
  }

  it("a wrong password shows a French error and no session", async () => {
    const page = await newPage(journey.browser, journey.server.url);
    await login(page, journey.server.users.agent.email, "mauvais-mot-de-passe");
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("E-mail ou mot de passe incorrect.");
    await expectAccessible(page);
    await screenshot(page, "login-error");
    expect(page.url()).toMatch(/\/connexion$/);
    await page.context().close();
  });

  it("the admin creates a user who appears in the table; logout returns to the login page", async () => {
    const page = await newPage(journey.browser, journey.server.url);
    await login(page, journey.server.users.admin.email, journey.server.users.admin.password);
    await page.waitForURL("**/admin");
    const form = page.locator("form", { has: page.getByRole("heading", { name: "Nouvel utilisateur" }) });
    await form.getByLabel("Nom").fill("Nina Nouvelle");
    await form.getByLabel("Adresse e-mail").fill("nina@demo.cpts.fr");
    await form.getByLabel("Rôle").selectOption("supervisor");
    await form.getByLabel("Mot de passe").fill("un-mot-de-passe-solide");
    await form.getByRole("button", { name: "Créer l'utilisateur" }).click();
    await expect.poll(() => page.getByRole("cell", { name: "nina@demo.cpts.fr" }).count()).toBe(1);
    await expect.poll(() => page.getByText("Utilisateur nina@demo.cpts.fr créé.").count()).toBe(1);
    // her phone, for the calls bridged to the agent's own phone: a wrong one is refused with the reason, a good one shown French-style
    const ninaRow = page.getByRole("row", { name: /nina@demo\.cpts\.fr/ });
    await ninaRow.getByRole("button", { name: /^Modifier/ }).click();
    const edit = page.locator("form", { has: page.getByRole("heading", { name: /^Modifier Nina Nouvelle/ }) });
    await edit.getByLabel("Téléphone de l'agent").fill("06 12 34 56 78 / 12345");
    await edit.getByRole("button", { name: "Enregistrer" }).click();
    await expect.poll(() => edit.getByRole("alert").innerText()).toMatch(/un seul numéro de téléphone valide/);
    await edit.getByLabel("Téléphone de l'agent").fill("+33 6 12 34 56 78");
    await edit.getByRole("button", { name: "Enregistrer" }).click();
    await expect.poll(() => ninaRow.innerText()).toMatch(/06 12 34 56 78/);
    await screenshot(page, "admin-users");
    // telephony: manual mode, then a test call says that no call goes through the console
    const telephony = page.locator("section", { has: page.getByRole("heading", { name: "Téléphonie" }) });
    await telephony.getByLabel("Fournisseur").selectOption("manual");
    await telephony.getByRole("button", { name: "Enregistrer la téléphonie" }).click();
    await expect.poll(() => telephony.getByRole("status").innerText()).toBe("Téléphonie enregistrée.");
    await telephony.getByLabel("Numéro à appeler").fill("06 12 34 56 78");
    await telephony.getByRole("button", { name: "Lancer l'appel de test" }).click();
    await expect.poll(() => telephony.getByRole("status").innerText()).toMatch(/^Mode manuel : les agents composent depuis leur propre téléphone/);
    await telephony.getByLabel("Fournisseur").selectOption("twilio");
    await expect.poll(() => telephony.getByLabel("Account SID").count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, "admin-telephony");
    await telephony.getByLabel("Fournisseur").selectOption("simulator");
    await telephony.getByRole("button", { name: "Enregistrer la téléphonie" }).click();
    await expect.poll(() => telephony.getByRole("status").innerText()).toBe("Téléphonie enregistrée.");
    // Nina is working in her own browser when the admin deactivates her: her console says so at once
    const nina = await newPage(journey.browser, journey.server.url);
    await login(nina, "nina@demo.cpts.fr", "un-mot-de-passe-solide");
    await nina.waitForURL("**/supervision");
    await expect.poll(() => nina.getByRole("status").filter({ hasText: "Connecté" }).count()).toBe(1);
    await page.getByRole("row", { name: /nina@demo\.cpts\.fr/ }).getByRole("button", { name: /^Désactiver/ }).click();
    await nina.waitForURL("**/connexion");
    await expect.poll(() => nina.getByText("Votre compte a été désactivé par un administrateur.").count()).toBe(1);
    await screenshot(nina, "login-account-deactivated");
    await nina.context().close();
    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await page.waitForURL("**/connexion");
    await expect.poll(() => page.getByRole("heading", { name: "Connexion" }).count()).toBe(1);
    await page.context().close();
  });
});
