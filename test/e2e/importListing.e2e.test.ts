// Journey: a coordinator imports a messy fund listing, reads the report, downloads the rejected
// rows, then fixes the column mapping of a listing whose headers were not recognised; after a reload,
// finds both again in « Imports précédents » and deletes the mapping saved for the organisation.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { makeTempDir, writeCpamListing } from "../imports/parsing/makeListing.ts";
import { expectAccessible, login, newPage, screenshot, useJourney } from "./browser.ts";

const patientImporter = (page: Page) => page.locator("section", { has: page.getByRole("heading", { name: "Importer un listing de patients" }) });
/** The report of the import in view (the one just uploaded, or one opened from « Imports précédents »). */
const shownReport = (page: Page) => patientImporter(page).locator(".import-status");

const dir = makeTempDir();

const journey = useJourney();

describe("coordinator imports a listing", () => {
  it("uploads a Windows-1252 listing, sees the report and downloads the rejected rows", async () => {
    const page = await newPage(journey.browser, journey.server.url);
    await login(page, journey.server.users.coordinator.email, journey.server.users.coordinator.password);
    await page.waitForURL("**/coordination");
    await page.getByRole("button", { name: /Ouvrir.*Démo/ }).click();
    const listing = writeCpamListing(dir);
    await page.getByLabel("Fichier du listing").setInputFiles(listing.path);
    await patientImporter(page).getByRole("button", { name: "Importer" }).click();
    await expect.poll(() => shownReport(page).getByText("Terminé").count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByText("encodage windows-1252, séparateur point-virgule").count()).toBe(1);
    const counts = page.locator(".counts-grid");
    await expect.poll(() => counts.innerText()).toMatch(/Lignes lues\s+11\s+Nouveaux patients\s+8\s+Fusionnées \(doublons du fichier, patients déjà connus\)\s+1\s+Rejetées\s+2/);
    await expect.poll(() => page.getByRole("cell", { name: /aucun numéro de téléphone valide/ }).count()).toBe(1);
    await expect.poll(() => counts.innerText()).toMatch(/Acceptées avec remarques\s+2/);
    await page.getByText("2 lignes acceptées avec une remarque").click();
    await expect.poll(() => page.getByRole("table", { name: "Lignes acceptées avec remarques" }).getByRole("cell", { name: /ce n'est pas un code postal de Les Abymes/ }).count()).toBe(1);
    await expect.poll(() => page.getByText(/296 patients importés, dont \d+ éligibles/).count()).toBe(1); // 288 from the demo listing + 8
    await expectAccessible(page);
    await screenshot(page, "coordinator-import-report");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Télécharger les lignes rejetées (CSV)" }).click()]);
    const csv = readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toMatch(/^Ligne;IDENTIFIANT;NOM;.*;Motif du rejet$/);
    expect(lines.slice(1).map((l) => Number(l.split(";")[0]))).toEqual([listing.lines.noValidPhone, listing.lines.badDate]);
    await page.context().close();
  });

  it("imports the GP roster and lists the doctors with their capacity", async () => {
    const page = await newPage(journey.browser, journey.server.url);
    await login(page, journey.server.users.coordinator.email, journey.server.users.coordinator.password);
    await page.waitForURL("**/coordination");
    await page.getByRole("navigation", { name: "Sections de la coordination" }).getByRole("link", { name: "Médecins et équipes" }).click();
    await page.waitForURL("**/coordination/medecins");
    const path = `${dir}/annuaire.csv`;
    writeFileSync(path, ["RPPS;NOM;PRENOM;CODE_INSEE;MSP;ACCEPTE_NOUVEAUX;CAPACITE;ACCEPTE_ALD", "10000000017;MARTIN;Jeanne;42218;MSP du Pilat;Oui;12;Oui", "12345678901;FAUX;Rpps;42218;;Oui;3;Oui"].join("\r\n"));
    await page.getByLabel("Fichier de l'annuaire").setInputFiles(path);
    const roster = page.locator("section", { has: page.getByRole("heading", { name: "Importer l'annuaire des médecins" }) });
    await roster.getByRole("button", { name: "Importer" }).click();
    const rosterReport = roster.locator(".import-status");
    await expect.poll(() => rosterReport.getByText(/Terminé|correspondance/).count(), { timeout: 60_000 }).toBeGreaterThan(0);
    if (await roster.getByRole("button", { name: "Lancer l'import" }).count()) await roster.getByRole("button", { name: "Lancer l'import" }).click();
    await expect.poll(() => rosterReport.getByText("Terminé").count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => roster.getByRole("cell", { name: /RPPS/ }).count()).toBe(1); // the bad RPPS is rejected with its reason
    await page.reload();
    await expect.poll(() => page.getByRole("table", { name: "Équipes" }).getByRole("cell", { name: "MSP du Pilat", exact: true }).count()).toBe(1);
    const martin = page.getByRole("table", { name: "Annuaire des médecins" }).getByRole("row", { name: /MARTIN Jeanne/ });
    await expect.poll(() => martin.innerText()).toContain("MSP du Pilat");
    await expect.poll(() => martin.innerText()).toContain("Saint-Étienne (42218)"); // the commune by its name
    // searching the roster: accents ignored, by commune; then a name that nobody has
    await page.getByLabel("Rechercher un médecin (nom, commune, équipe ou RPPS)").fill("saint etienne");
    await expect.poll(() => page.getByText(/médecins? trouvés?$/).innerText()).toMatch(/^\d+ médecins? trouvés?$/);
    await expect.poll(() => martin.count()).toBe(1);
    await screenshot(page, "coordinator-gp-roster");
    await page.getByLabel("Rechercher un médecin (nom, commune, équipe ou RPPS)").fill("zzzz");
    await expect.poll(() => page.getByText("Aucun médecin ne correspond à la recherche.").count()).toBe(1);
    await page.context().close();
  });

  it("shows the preview and lets the coordinator map unrecognised columns", async () => {
    const page = await newPage(journey.browser, journey.server.url);
    await login(page, journey.server.users.coordinator.email, journey.server.users.coordinator.password);
    await page.waitForURL("**/coordination");
    await page.getByRole("button", { name: /Ouvrir.*Démo/ }).click();
    const path = `${dir}/colonnes.csv`;
    writeFileSync(path, "Col A;Col B;Col C;Col D;Col E\r\nDUPUIS;Anne;12/12/1950;06 12 34 56 78;42095\r\nMARTIN;Paul;03/04/1948;06 98 76 54 32;42218\r\n");
    await page.getByLabel("Fichier du listing").setInputFiles(path);
    await patientImporter(page).getByRole("button", { name: "Importer" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Vérifiez la correspondance des colonnes" }).count()).toBe(1);
    await page.getByLabel("Champ de la colonne Col A").selectOption("lastName");
    await page.getByLabel("Champ de la colonne Col B").selectOption("firstName");
    await page.getByLabel("Champ de la colonne Col C").selectOption("birthDate");
    await page.getByLabel("Champ de la colonne Col D").selectOption("phones");
    await page.getByLabel("Champ de la colonne Col E").selectOption("inseeCode");
    await expectAccessible(page);
    await screenshot(page, "coordinator-import-mapping");
    await page.getByRole("button", { name: "Lancer l'import" }).click();
    await expect.poll(() => shownReport(page).getByText("Terminé").count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator(".counts-grid").innerText()).toMatch(/Lignes lues\s+2\s+Nouveaux patients\s+2/);
    await page.context().close();
  });

  it("a listing under a title and a line of group names: the coordinator chooses the header line, the preview follows", async () => {
    const page = await newPage(journey.browser, journey.server.url);
    await login(page, journey.server.users.coordinator.email, journey.server.users.coordinator.password);
    await page.waitForURL("**/coordination");
    await page.getByRole("button", { name: /Ouvrir.*Démo/ }).click();
    const path = `${dir}/double-entete.csv`;
    writeFileSync(path, [
      "Extraction CPAM du 01/12/2026",
      "NOM;PRENOM;Date de naissance;Téléphone;Téléphone;Commune",
      "NOM_NAISSANCE;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;TEL_FIXE;CODE_INSEE",
      "LAMBERT;Odile;12/12/1950;06 12 34 56 78;04 77 12 34 56;42095",
      "ROCHE;Henri;03/04/1948;06 98 76 54 32;;42218",
    ].join("\r\n") + "\r\n");
    await page.getByLabel("Fichier du listing").setInputFiles(path);
    await patientImporter(page).getByRole("button", { name: "Importer" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Vérifiez la correspondance des colonnes" }).count()).toBe(1);
    expect(await page.getByLabel("Ligne d'en-tête").inputValue()).toBe("2");
    await page.getByLabel("Ligne d'en-tête").selectOption("3");
    await expect.poll(() => page.getByLabel("Champ de la colonne TEL_FIXE").count()).toBe(1);
    expect(await page.getByLabel("Champ de la colonne TEL_FIXE").inputValue()).toBe("phones");
    await expect.poll(() => page.locator("tr.above-header").count()).toBe(2);
    await expect.poll(() => page.getByRole("rowheader", { name: "4" }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, "coordinator-import-header-line");
    await page.getByRole("button", { name: "Lancer l'import" }).click();
    await expect.poll(() => shownReport(page).getByText("Terminé").count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator(".counts-grid").innerText()).toMatch(/Lignes lues\s+2\s+Nouveaux patients\s+2/);
    await expect.poll(() => page.getByText("En-tête trouvé ligne 3 : les lignes 1 et 2, au-dessus, ne sont pas importées (un titre, des lignes vides : pas des lignes du listing).").count()).toBe(1);
    await page.context().close();
  });

  it("a file the reader cannot get past says the import is incomplete, and where", async () => {
    const page = await newPage(journey.browser, journey.server.url);
    await login(page, journey.server.users.coordinator.email, journey.server.users.coordinator.password);
    await page.waitForURL("**/coordination");
    await page.getByRole("button", { name: /Ouvrir.*Démo/ }).click();
    const path = `${dir}/guillemet.csv`;
    writeFileSync(path, "NOM;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE\r\nÉTIENNE;Zoé;12/12/1950;06 12 34 56 78;42095\r\n\"OUVERT;Léa;03/04/1948;06 98 76 54 32;42218\r\nAPRÈS;Noé;03/04/1948;06 98 76 54 33;42218\r\n");
    await page.getByLabel("Fichier du listing").setInputFiles(path);
    await patientImporter(page).getByRole("button", { name: "Importer" }).click();
    await expect.poll(() => shownReport(page).getByText("Terminé").count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole("alert").filter({ hasText: "Import incomplet" }).innerText())
      .toMatch(/^Import incomplet : lecture interrompue à la ligne 3 : un guillemet ouvert n'est jamais refermé/);
    await screenshot(page, "coordinator-import-incomplete");
    await page.context().close();
  });

  it("after a reload, opens past imports from « Imports précédents », finishes the one left waiting and deletes its saved mapping", async () => {
    const page = await newPage(journey.browser, journey.server.url);
    await login(page, journey.server.users.coordinator.email, journey.server.users.coordinator.password);
    await page.waitForURL("**/coordination");
    await page.getByRole("button", { name: /Ouvrir.*Démo/ }).click();
    const listing = writeCpamListing(dir);
    const fundFile = `${dir}/historique-cpam.csv`;
    copyFileSync(listing.path, fundFile);
    await page.getByLabel("Fichier du listing").setInputFiles(fundFile);
    await patientImporter(page).getByRole("button", { name: "Importer" }).click();
    await expect.poll(() => shownReport(page).getByText("Terminé").count(), { timeout: 60_000 }).toBe(1);
    // headers nobody recognises (and no mapping saved for them): the import waits for its mapping
    const homeMade = `${dir}/colonnes-maison.csv`;
    writeFileSync(homeMade, "Champ 1;Champ 2;Champ 3;Champ 4;Champ 5\r\nLEBRUN;Agathe;14/09/1951;06 12 34 56 70;42095\r\nSANS;Téléphone;03/04/1948;;42218\r\n");
    await page.getByLabel("Fichier du listing").setInputFiles(homeMade);
    await patientImporter(page).getByRole("button", { name: "Importer" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Vérifiez la correspondance des colonnes" }).count()).toBe(1);

    // The page reloaded: the campaign is still open (its address says which), both imports are found again, newest first.
    await page.reload();
    expect(page.url()).toMatch(/\/coordination\?campagne=[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole("row", { name: /Démo/ }).getByText("Ouverte ci-dessous").count()).toBe(1);
    const history = patientImporter(page).getByRole("table", { name: "Imports précédents, les plus récents d'abord" });
    const row = (fileName: string) => history.getByRole("row").filter({ has: page.getByRole("cell", { name: fileName, exact: true }) });
    await expect.poll(() => row("colonnes-maison.csv").innerText()).toMatch(/En attente de la correspondance des colonnes/);
    await expect.poll(() => row("historique-cpam.csv").innerText()).toMatch(/Terminé\s+le [\s\S]*?\s11\s+\d+\s+\d+\s+2\s/); // after the first journey's upload of the same rows, they merge
    await expect.poll(() => history.getByRole("row").nth(1).innerText()).toContain("colonnes-maison.csv");
    await expect.poll(() => row("historique-cpam.csv").innerText()).toContain("Claire Coordinatrice"); // who uploaded it

    // A finished one: its report, its rejected rows to download.
    await row("historique-cpam.csv").getByRole("button", { name: /^Ouvrir/ }).click();
    const report = page.getByRole("region", { name: "Compte rendu de l'import historique-cpam.csv" });
    await expect.poll(() => report.locator(".counts-grid").innerText()).toMatch(/Lignes lues\s+11\s+Nouveaux patients\s+\d+\s+Fusionnées \(doublons du fichier, patients déjà connus\)\s+\d+\s+Rejetées\s+2/);
    await expect.poll(() => report.getByRole("cell", { name: /aucun numéro de téléphone valide/ }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, "coordinator-import-history");
    const [download] = await Promise.all([page.waitForEvent("download"), report.getByRole("link", { name: "Télécharger les lignes rejetées (CSV)" }).click()]);
    const csv = readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(csv.slice(1).map((l) => Number(l.split(";")[0]))).toEqual([listing.lines.noValidPhone, listing.lines.badDate]);

    // The one left waiting: its mapping form, launched from here, saved for the organisation.
    await row("colonnes-maison.csv").getByRole("button", { name: /^Ouvrir/ }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Vérifiez la correspondance des colonnes" }).count()).toBe(1);
    for (const [column, field] of [["Champ 1", "lastName"], ["Champ 2", "firstName"], ["Champ 3", "birthDate"], ["Champ 4", "phones"], ["Champ 5", "inseeCode"]]) {
      await page.getByLabel(`Champ de la colonne ${column}`).selectOption(field);
    }
    await page.getByRole("button", { name: "Lancer l'import" }).click();
    await expect.poll(() => shownReport(page).getByText("Terminé").count(), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => row("colonnes-maison.csv").innerText()).toMatch(/Terminé\s+le [\s\S]*?\s2\s+1\s+0\s+1\s/); // the list follows the end of the import

    // The saved mapping, as it will be applied; deleted after a confirmation.
    const mappings = patientImporter(page).locator(".saved-mappings");
    const saved = mappings.getByRole("listitem").filter({ hasText: "colonnes-maison.csv" });
    await expect.poll(() => saved.getByRole("list", { name: "Colonnes de la correspondance de colonnes-maison.csv" }).innerText())
      .toMatch(/« champ 1 » → Nom\s+« champ 2 » → Prénom\s+« champ 3 » → Date de naissance\s+« champ 4 » → Téléphone\(s\)\s+« champ 5 » → Code INSEE/);
    await saved.getByRole("button", { name: "Supprimer la correspondance de colonnes-maison.csv" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Supprimer la correspondance de « colonnes-maison.csv » ?" });
    await expect.poll(() => confirm.count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, "coordinator-saved-mapping-delete");
    await confirm.getByRole("button", { name: "Supprimer la correspondance" }).click();
    await expect.poll(() => mappings.getByRole("status").innerText()).toMatch(/^Correspondance de « colonnes-maison\.csv » supprimée/);
    await expect.poll(() => saved.count()).toBe(0);
    await page.context().close();
  });
});
