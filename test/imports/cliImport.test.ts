// The fund IT's path: campaign, patient listing and GP roster from the command line, JSON out.
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { runTs } from "../helpers/run.ts";
import { makeTempDir, RPPS_OK, writeCpamListing } from "./parsing/makeListing.ts";

const cli = (args: string[]) => runTs("server/cli/main.ts", args);
const dir = makeTempDir();

describe("npm run cli: campaign, import, export", () => {
  it("creates a campaign, imports a listing, prints the report, exports the patients", async () => {
    const org = await makeOrganisation({ kind: "CPAM" });
    const created = await cli(["campaign", "create", "--org", org.id, "--name", "ALD Loire 2026", "--type", "ald-sans-mt"]);
    expect(created.stderr).toBe("");
    const campaign = JSON.parse(created.stdout);
    expect(campaign).toMatchObject({ organisationId: org.id, name: "ALD Loire 2026", type: "ald_sans_mt", status: "draft" });

    const listing = writeCpamListing(dir);
    const imported = await cli(["import", "patients", "--campaign", campaign.id, listing.path]);
    expect(imported.code).toBe(0);
    const report = JSON.parse(imported.stdout);
    expect(report.counts).toEqual({ rows: 11, accepted: 8, merged: 1, rejected: 2, skipped: 3, remarked: 2 });
    expect(report.remarks.map((r: { line: number }) => r.line)).toEqual([listing.lines.oneBadPhone, listing.lines.guadeloupe]);
    expect(report.rejected).toEqual([
      { line: listing.lines.noValidPhone, reason: expect.stringMatching(/aucun numéro de téléphone valide/) },
      { line: listing.lines.badDate, reason: expect.stringMatching(/date de naissance/) },
    ]);

    const json = await cli(["export", "patients", "--campaign", campaign.id, "--format", "json"]);
    const patients = JSON.parse(json.stdout);
    expect(patients).toHaveLength(8);
    const payet = patients.find((p: { externalId: string }) => p.externalId === "C004");
    expect(payet).toMatchObject({ inseeCode: "97411", ald: true, css: true, eligible: true, phones: [{ e164: "+262692123456" }, { e164: "+262262212345" }] });
    expect(payet).toMatchObject({ dialState: "waiting", attempts: 0, lastOutcome: null, doneReason: null });
    expect(payet.sources).toEqual([{ importId: report.id, lines: [listing.lines.reunion] }]);

    const ineligible = patients.find((p: { externalId: string }) => p.externalId !== "C004");
    await db().enrolment.updateMany({ where: { campaignId: campaign.id, patientId: ineligible.id }, data: { eligible: false, ineligibleReason: "a déjà un médecin traitant" } });
    const csv = await cli(["export", "patients", "--campaign", campaign.id, "--format", "csv"]);
    const lines = csv.stdout.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines).toHaveLength(9);
    expect(lines[0]).toMatch(/^Identifiant;Identifiant caisse;Nom;/);
    const columns = lines[0].split(";");
    const cellOf = (line: string, column: string) => line.split(";")[columns.indexOf(column)];
    const payetLine = lines.find((l) => l.split(";")[1] === "C004")!;
    expect(cellOf(payetLine, "Types")).toBe("portable fixe");
    expect(cellOf(payetLine, "État d'appel")).toBe("à appeler");
    const ineligibleLine = lines.find((l) => l.split(";")[0] === ineligible.id)!;
    expect([cellOf(ineligibleLine, "État d'appel"), cellOf(ineligibleLine, "Prochain appel possible (heure de l'organisation)")]).toEqual(["non éligible", ""]);
    expect(await db().auditLog.count({ where: { organisationId: org.id, action: "patient.export", actorLabel: "cli" } })).toBe(2);
  });

  it("imports a GP roster: RPPS checked, MSP teams created, commune point used", async () => {
    const org = await makeOrganisation();
    const path = `${dir}/annuaire.csv`;
    writeFileSync(path, [
      "RPPS;NOM;PRENOM;CODE_INSEE;MSP;ACCEPTE_NOUVEAUX;CAPACITE;ACCEPTE_ALD",
      `${RPPS_OK};MARTIN;Jeanne;42218;MSP du Pilat;Oui;12;Oui`,
      "12345678901;FAUX;Rpps;42218;;Oui;3;Oui",
      `${RPPS_OK};MARTIN;Jeanne;42218;MSP du Pilat;Oui;10;Oui`,
    ].join("\r\n"));
    const res = await cli(["import", "gps", "--org", org.id, path]);
    expect(res.stderr).toBe("");
    const report = JSON.parse(res.stdout);
    expect(report.counts).toMatchObject({ rows: 3, accepted: 1, merged: 1, rejected: 1 });
    expect(report.rejected[0]).toEqual({ line: 3, reason: expect.stringMatching(/RPPS/) });
    expect(report.remarks).toEqual([{ line: 4, remark: `RPPS ${RPPS_OK} déjà donné ligne 2 : ce que cette ligne indique remplace la ligne 2 ; une case vide garde ce que la ligne 2 en disait` }]);
    const gp = await db().gp.findFirstOrThrow({ where: { organisationId: org.id }, include: { team: true } });
    expect(gp).toMatchObject({ rpps: RPPS_OK, capacity: 10, acceptsNew: true, acceptsAld: true, inseeCode: "42218" });
    expect(gp.team?.name).toBe("MSP du Pilat");
    expect(gp.lat).toBeCloseTo(45.43, 0);
  });

  it("refuses a listing whose column that may say who must not be called is not recognised, unless told to ignore it", async () => {
    const org = await makeOrganisation({ kind: "CPAM" });
    const campaign = JSON.parse((await cli(["campaign", "create", "--org", org.id, "--name", "Démarchage", "--type", "ald-sans-mt"])).stdout);
    const path = `${dir}/demarchage.csv`;
    writeFileSync(path, "NOM;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE;Opposition au démarchage téléphonique\r\nDUPONT;Marie;12/12/1950;06 12 34 56 78;01053;O\r\n");
    const refused = await cli(["import", "patients", "--campaign", campaign.id, path]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      "Colonnes non reconnues : la colonne « Opposition au démarchage téléphonique » n'a pas été reconnue : elle peut dire qui ne doit pas être appelé. "
      + "Renommez ces colonnes dans l'en-tête du fichier, déposez-le dans la console pour indiquer la correspondance, ou relancez avec --ignore-unrecognised pour l'importer sans elles.",
    );
    expect(await db().patient.count({ where: { organisationId: org.id } })).toBe(0);
    const [failed] = await db().import.findMany({ where: { campaignId: campaign.id } });
    expect(failed).toMatchObject({ status: "failed", error: expect.stringMatching(/^Colonnes non reconnues : la colonne « Opposition/) });
    expect(await db().importChunk.count({ where: { importId: failed.id } })).toBe(0);

    const ignored = await cli(["import", "patients", "--campaign", campaign.id, "--ignore-unrecognised", path]);
    expect(ignored.stderr).toBe("");
    const report = JSON.parse(ignored.stdout);
    expect(report.counts).toMatchObject({ rows: 1, accepted: 1 });
    expect(report.ignoredColumns).toEqual([{ column: 6, header: "Opposition au démarchage téléphonique", mayDecide: "elle peut dire qui ne doit pas être appelé" }]);
  });

  it("says clearly what is wrong, with a non-zero exit", async () => {
    const res = await cli(["import", "patients", "--campaign", "00000000-0000-4000-8000-000000000000", "/nexiste/pas.csv"]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/Campagne introuvable/);
    const bad = await cli(["campaign", "create", "--org", "00000000-0000-4000-8000-000000000000", "--name", "X", "--type", "retirement"]);
    expect(bad.stderr).toMatch(/RPPS du médecin qui part/);
    const typo = await cli(["campaign", "create", "--org", "00000000-0000-4000-8000-000000000000", "--name", "X", "--type", "retirement", "--leaving-gp", "12345678901"]);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toMatch(/RPPS invalide : « 12345678901 » \(clé de contrôle incorrecte\)/);
  });

  it("a file it cannot import fails with its reason, and its bytes are not kept", async () => {
    const org = await makeOrganisation({ kind: "CPAM" });
    const campaign = JSON.parse((await cli(["campaign", "create", "--org", org.id, "--name", "Colonnes", "--type", "ald-sans-mt"])).stdout);
    const unknownColumns = `${dir}/colonnes-inconnues.csv`;
    writeFileSync(unknownColumns, "COL_A;COL_B;COL_C\r\nDUPONT;Marie;0612345678\r\n");
    const res = await cli(["import", "patients", "--campaign", campaign.id, unknownColumns]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/Colonnes non reconnues : il manque .*nom.*\. Renommez ces colonnes/i);
    const headerOnly = `${dir}/entete-seule.csv`;
    writeFileSync(headerOnly, "NOM;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE\r\n");
    const empty = await cli(["import", "patients", "--campaign", campaign.id, headerOnly]);
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toMatch(/ne contient que la ligne d'en-tête/);
    expect(empty.stderr).not.toMatch(/il manque/);
    const imports = await db().import.findMany({ where: { campaignId: campaign.id }, orderBy: { createdAt: "asc" } });
    expect(imports.map((i) => [i.status, i.error?.slice(0, 22)])).toEqual([["failed", "Colonnes non reconnues"], ["failed", "Le fichier ne contient"]]);
    expect(await db().importChunk.count({ where: { importId: { in: imports.map((i) => i.id) } } })).toBe(0);
  });
});
