// Journeys: an agent records consent and books a GP during the call; the GP opens its link,
// declares capacity and confirms the patient; a forged link shows only a French message.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { expectAccessible, login, newPage, screenshot, useJourney } from "./browser.ts";

const dir = mkdtempSync(join(tmpdir(), "omt-orientation-"));
const journey = useJourney({ SIMULATOR_SPEED: "0.05", SIMULATOR_RATES: "1,0,0" });

async function signedIn(role: "agent" | "coordinator", home: string): Promise<Page> {
  const page = await newPage(journey.browser, journey.server.url);
  await login(page, journey.server.users[role].email, journey.server.users[role].password);
  await page.waitForURL(`**/${home}`);
  return page;
}

describe("orientation to a GP", () => {
  let bookedHolder = "";

  it("agent: script and consent inline, proposals ranked, one click books, then 'Joint'", async () => {
    const page = await signedIn("agent", "agent");
    await page.getByRole("button", { name: /^(Prêt|Patient suivant)$/ }).click();
    await expect.poll(() => page.getByText("Pourquoi ce patient :").count()).toBe(1);
    // the patient's answers are recorded during the call: before it, the buttons say so and wait
    await expect.poll(() => page.getByText("Les réponses du patient s'enregistrent pendant l'appel : appelez-le d'abord.").count()).toBe(1);
    expect(await page.getByRole("group", { name: "Être contacté pour cette campagne" }).getByRole("button", { name: "Oui, accepte" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: /^Appeler/ }).click();
    await expect.poll(() => page.locator(".call-state").innerText(), { timeout: 20_000 }).toMatch(/Décroché/);
    await expect.poll(() => page.getByRole("heading", { name: /^Script/ }).count()).toBe(1);
    // booking waits for the consent to share identity
    await expect.poll(() => page.getByText(/le patient doit d'abord accepter/i).count()).toBe(1);
    for (const purpose of ["Être contacté pour cette campagne", "Transmettre son identité au médecin ou à l'équipe proposé(e)", "Laisser la caisse enregistrer la déclaration de médecin traitant"]) {
      await page.getByRole("group", { name: purpose }).getByRole("button", { name: "Oui, accepte" }).click();
      await expect.poll(() => page.getByRole("group", { name: purpose }).getByRole("status").innerText()).toMatch(/^Accordé le/);
    }
    const first = page.locator("#proposals-title ~ div table tbody tr").first();
    await expect.poll(() => first.count()).toBe(1);
    bookedHolder = (await first.locator("td").first().innerText()).replace(/^Équipe\s*/, "").split("\n")[0].replace(/\s*\(\d+ médecins?\)$/, "").trim();
    // the table fits its panel: the booking buttons are not cut by the edge of its scroll
    const fits = await page.locator("#proposals-title ~ div.table-scroll").evaluate((el) => el.scrollWidth <= el.clientWidth);
    expect(fits).toBe(true);
    await expectAccessible(page);
    await screenshot(page, "agent-consent-proposals");
    await first.getByRole("button", { name: /^Réserver chez/ }).click();
    await expect.poll(() => page.getByText(/^Orientation réservée :/).count()).toBe(1);
    await screenshot(page, "agent-booked");
    await page.locator("body").press("1");
    await expect.poll(() => page.getByText("Résultat enregistré.").count()).toBe(1);
    await page.context().close();
  });

  it("coordinator makes the links; the GP declares capacity and confirms the patient on its French page", async () => {
    expect(bookedHolder).not.toBe("");
    const coordinator = await signedIn("coordinator", "coordination");
    const section = (name: string) => coordinator.getByRole("navigation", { name: "Sections de la coordination" }).getByRole("link", { name }).click();
    await section("Orientations");
    await expect.poll(() => coordinator.locator("#orientations-title ~ div table tbody tr").count()).toBe(1);
    await screenshot(coordinator, "coordinator-orientations");
    await section("Médecins et équipes");
    const holderLinks = async (purpose: "capacité" | "orientations") => {
      await coordinator.getByRole("button", { name: new RegExp(`^Lien ${purpose} pour (Dr )?${bookedHolder}`) }).first().click();
      await expect.poll(() => coordinator.locator(".link-made").innerText()).toContain(purpose === "capacité" ? "déclarer sa capacité" : "répondre aux orientations");
      return coordinator.locator(".link-url").innerText();
    };
    const capacityUrl = await holderLinks("capacité");
    await screenshot(coordinator, "coordinator-gp-links");
    const orientationsUrl = await holderLinks("orientations");
    expect(orientationsUrl).not.toBe(capacityUrl);

    // the GP has no account: a fresh browser context
    const gp = await newPage(journey.browser, journey.server.url);
    const sessionAsks: string[] = []; // no account: the page never asks who is connected (a 401 in the console)
    gp.on("request", (r) => void (r.url().includes("/api/auth/") && sessionAsks.push(r.url())));
    await gp.goto(new URL(capacityUrl).pathname);
    await expect.poll(() => gp.getByRole("heading", { name: "Votre capacité d'accueil de nouveaux patients" }).count()).toBe(1);
    await gp.getByLabel("Combien de nouveaux patients pouvez-vous accueillir ?").fill("25");
    await gp.getByRole("button", { name: "Enregistrer" }).click();
    await expect.poll(() => gp.getByText("Merci : votre capacité d'accueil est enregistrée.").count()).toBe(1);
    await expectAccessible(gp);
    await screenshot(gp, "gp-link-capacity");

    await gp.goto(new URL(orientationsUrl).pathname);
    await expect.poll(() => gp.getByRole("heading", { name: /^En attente de votre réponse \(1\)/ }).count()).toBe(1);
    const doctor = gp.getByLabel("Médecin de l'équipe qui accueille ce patient");
    if (await doctor.count()) await doctor.selectOption({ index: 1 });
    await screenshot(gp, "gp-link-orientations");
    await gp.getByRole("button", { name: "Confirmer l'accueil" }).dblclick(); // a double click answers once, and says nothing else
    await expect.poll(() => gp.getByText(/accueil confirmé, merci/).count()).toBe(1);
    await expect.poll(() => gp.getByRole("heading", { name: /^Accueil confirmé \(1\)/ }).count()).toBe(1);
    expect(await gp.getByRole("alert").count()).toBe(0);
    expect(sessionAsks).toEqual([]);
    await expectAccessible(gp);
    await screenshot(gp, "gp-link-confirmed");

    // a forged link: a French message, nothing else
    await gp.goto(new URL(orientationsUrl).pathname.slice(0, -3) + "AAA");
    await expect.poll(() => gp.getByRole("alert").innerText()).toMatch(/Ce lien n'est pas valide/);
    expect(await gp.locator("table, li.panel").count()).toBe(0);
    await screenshot(gp, "gp-link-invalid");
    await gp.context().close();
    await coordinator.context().close();
  });

  it("coordinator: declarations file for the fund, the fund's answer, the opposition register, an MSP's profile", async () => {
    const coordinator = await signedIn("coordinator", "coordination");
    const section = (name: string) => coordinator.getByRole("navigation", { name: "Sections de la coordination" }).getByRole("link", { name }).click();
    await section("Déclarations");
    await expect.poll(() => coordinator.getByRole("heading", { name: "À envoyer (1)" }).count()).toBe(1);
    await coordinator.getByRole("button", { name: "Créer le lot et marquer comme envoyées" }).click();
    await expect.poll(() => coordinator.getByText(/^Lot créé : 1 déclaration/).count()).toBe(1);
    const [download] = await Promise.all([coordinator.waitForEvent("download"), coordinator.getByRole("link", { name: "Télécharger (CSV)" }).click()]);
    const file = readFileSync(await download.path(), "utf8");
    const [header, row] = file.replace(/^\uFEFF/, "").trim().split(/\r?\n/);
    expect(header).toMatch(/^identifiant_patient;rpps_medecin;date_orientation;reference_consentement;reference_declaration/);
    const cells = row.split(";");
    const answer = join(dir, "retour-caisse.csv");
    writeFileSync(answer, `reference_declaration;statut;motif\r\n${cells[4]};Déclaré;\r\ninconnue;Déclaré;\r\n`);
    await coordinator.getByLabel("Fichier de retour de la caisse").setInputFiles(answer);
    await coordinator.getByRole("button", { name: "Importer le retour" }).click();
    await expect.poll(() => coordinator.getByRole("status").filter({ hasText: /2 ligne\(s\) : 1 déclarée\(s\), 0 rejetée\(s\), 1 ligne\(s\) inutilisable/ }).count()).toBe(1);
    await expect.poll(() => coordinator.getByText(/^Ligne 3 :/).count()).toBe(1);
    await expectAccessible(coordinator);
    await screenshot(coordinator, "coordinator-declarations");

    await section("Oppositions");
    const register = join(dir, "oppositions.csv");
    // as the fund's tool writes it: Excel's « sep=; » line and a title above the header
    writeFileSync(register, "sep=;\r\nRegistre des oppositions au 01/12/2026\r\n\r\nNOM;PRENOM;DATE_NAISSANCE\r\nDUVAL;Marie;12/03/1948\r\n;;\r\nSANSDATE;Paul;\r\n");
    await coordinator.getByLabel("Importer un registre d'oppositions").setInputFiles(register);
    await coordinator.getByRole("button", { name: "Importer", exact: true }).click();
    await expect.poll(() => coordinator.getByRole("status").filter({ hasText: /1 inscrit/ }).count()).toBe(1);
    await expect.poll(() => coordinator.getByText("En-tête trouvé ligne 4 : les lignes 2 et 3, au-dessus, ne sont pas lues (un titre, des lignes vides).").count()).toBe(1);
    await expect.poll(() => coordinator.getByText(/^Ligne 7 :/).count()).toBe(1);
    await expect.poll(() => coordinator.getByRole("cell", { name: "DUVAL Marie" }).count()).toBe(1);
    await expectAccessible(coordinator);
    await screenshot(coordinator, "coordinator-oppositions");

    await section("Médecins et équipes");
    await coordinator.getByRole("link", { name: "Profil de patientèle" }).first().click();
    await expect.poll(() => coordinator.getByRole("heading", { name: /^Profil de patientèle — / }).count()).toBe(1);
    await expectAccessible(coordinator);
    await screenshot(coordinator, "coordinator-team-profile");
    await coordinator.context().close();
  });

  it("an MSP confirms a patient: a doctor of the team whose end of activity is near is shown, not offered", async () => {
    // the next patient lives in Saint-Étienne, where the demo's MSP Saint-Étienne Centre practises
    const db = new pg.Client({ connectionString: journey.server.databaseUrl });
    await db.connect();
    try {
      await db.query(`UPDATE "Enrolment" e SET "dueAt" = now() + interval '1 day' WHERE "dialState" = 'waiting'
        AND NOT EXISTS (SELECT 1 FROM "Patient" p WHERE p."id" = e."patientId" AND p."inseeCode" = '42218')`);
      const agent = await signedIn("agent", "agent");
      await agent.getByRole("button", { name: /^(Prêt|Patient suivant)$/ }).click();
      await expect.poll(() => agent.getByText("Pourquoi ce patient :").count()).toBe(1);
      await agent.getByRole("button", { name: /^Appeler/ }).click();
      await expect.poll(() => agent.locator(".call-state").innerText(), { timeout: 20_000 }).toMatch(/Décroché/);
      for (const purpose of ["Être contacté pour cette campagne", "Transmettre son identité au médecin ou à l'équipe proposé(e)"]) {
        await agent.getByRole("group", { name: purpose }).getByRole("button", { name: "Oui, accepte" }).click();
        await expect.poll(() => agent.getByRole("group", { name: purpose }).getByRole("status").innerText()).toMatch(/^Accordé le/);
      }
      const team = agent.locator("#proposals-title ~ div table tbody tr", { hasText: "MSP Saint-Étienne Centre" }).first();
      await expect.poll(() => team.count()).toBe(1);
      await team.getByRole("button", { name: /^Réserver chez/ }).click();
      await expect.poll(() => agent.getByText(/^Orientation réservée :/).count()).toBe(1);
      await agent.locator("body").press("1");
      await expect.poll(() => agent.getByText("Résultat enregistré.").count()).toBe(1);
      await agent.context().close();

      // one of the team's doctors stops practising in two months (the roster said so)
      const { rows: [leaving] } = await db.query(
        `UPDATE "Gp" SET "endOfActivity" = current_date + 60 WHERE "id" = (SELECT g."id" FROM "Gp" g JOIN "Team" t ON t."id" = g."teamId" WHERE t."name" = 'MSP Saint-Étienne Centre' ORDER BY g."lastName" LIMIT 1)
         RETURNING 'Dr ' || "lastName" || ' ' || "firstName" AS "name", to_char("endOfActivity", 'DD/MM/YYYY') AS "until"`);
      const coordinator = await signedIn("coordinator", "coordination");
      await coordinator.getByRole("navigation", { name: "Sections de la coordination" }).getByRole("link", { name: "Médecins et équipes" }).click();
      await coordinator.getByRole("button", { name: /^Lien orientations pour MSP Saint-Étienne Centre/ }).first().click();
      await expect.poll(() => coordinator.locator(".link-made").innerText()).toContain("répondre aux orientations");
      const url = await coordinator.locator(".link-url").innerText();
      await coordinator.context().close();

      const msp = await newPage(journey.browser, journey.server.url);
      await msp.goto(new URL(url).pathname);
      const doctor = msp.getByLabel("Médecin de l'équipe qui accueille ce patient");
      await expect.poll(() => doctor.count()).toBe(1);
      const shown = doctor.locator("option", { hasText: leaving.name });
      expect(await shown.innerText()).toMatch(new RegExp(`— cesse son activité le ${leaving.until}$`));
      expect(await shown.isDisabled()).toBe(true);
      await expect.poll(() => msp.getByText(`${leaving.name} (cessation d'activité le ${leaving.until}) : ne prend plus de nouveaux patients.`).count()).toBe(1);
      await screenshot(msp, "gp-link-team-leaving-doctor");
      const available = await doctor.locator("option:not([disabled])").nth(1).getAttribute("value"); // after « — choisir — »
      await doctor.selectOption(available!);
      await msp.getByRole("button", { name: "Confirmer l'accueil" }).click();
      await expect.poll(() => msp.getByRole("heading", { name: /^Accueil confirmé \(1\)/ }).count()).toBe(1);
      await expectAccessible(msp);
      await msp.context().close();
    } finally {
      await db.end();
    }
  });
});
