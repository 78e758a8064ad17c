// Listings shaped the way funds' tools write them, imported end to end (store, detection, run, report): Excel's
// « sep=; » first line, a title and blank lines above the header, a workbook that opens on a notice sheet. Every line of
// the file is accounted for: imported, rejected with its line, skipped, or named in the detection notes.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { storeUpload } from "../../server/imports/storeUpload.ts";
import { prepareImport } from "../../server/imports/prepareImport.ts";
import { runImport } from "../../server/imports/runImport.ts";
import { importReport } from "../../server/imports/importReport.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { runTs } from "../helpers/run.ts";
import {
  makeTempDir, noticeSheet, SHAPED_COUNTS, shapedSheet, writeShapedCsv, writeWorkbook, type CsvShape, type SheetSpec,
} from "./parsing/makeListing.ts";

const dir = makeTempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TITLE = ["Extraction CPAM du 01/12/2026", "Patients ALD sans MT — Département 69", ""];

async function upload(path: string, options: { acceptUnsure?: boolean } = {}) {
  const org = await makeOrganisation({ kind: "CPAM" });
  const campaign = await makeCampaign(org.id);
  const stored = await storeUpload(db(), { organisationId: org.id, campaignId: campaign.id, kind: "patients", fileName: path.split("/").pop()!, createdByLabel: "test" },
    Readable.from([readFileSync(path)]));
  const prepared = await prepareImport(db(), stored.id, options);
  return { importId: stored.id, prepared, campaign };
}

async function importListing(path: string, options: { acceptUnsure?: boolean } = {}) {
  const { importId, prepared, campaign } = await upload(path, options);
  expect(prepared).toMatchObject({ ready: true, failed: null });
  await runImport(importId);
  return { report: await importReport(db(), importId), campaign };
}

/** The shaped listing's report: its two rejections at their lines, its counts with `skippedAbove` lines above the header. */
function expectShapedReport(report: Awaited<ReturnType<typeof importReport>>, lines: Record<string, number>, skippedAbove: number) {
  expect(report.status).toBe("done");
  expect(report.rejected).toEqual([
    { line: lines.sixDigitDate, reason: "date de naissance invalide : « 150352 » (attendu jj/mm/aaaa)" },
    { line: lines.badPhone, reason: "aucun numéro de téléphone valide (numéro invalide : « 06 12 34 »)" },
  ]);
  expect(report.counts).toEqual({ ...SHAPED_COUNTS, merged: 0, remarked: 0, skipped: SHAPED_COUNTS.skipped + skippedAbove });
}

describe("Excel's « sep=… » first line", () => {
  const shapes: [string, CsvShape][] = [
    ["Windows-1252, « sep=; », CRLF", { encoding: "windows-1252", delimiter: ";", eol: "\r\n", sepLine: true }],
    ["UTF-8 with BOM, « sep=, », LF", { encoding: "utf-8-bom", delimiter: ",", eol: "\n", sepLine: true }],
    ["UTF-8 with BOM, « sep=<tab> », CRLF", { encoding: "utf-8-bom", delimiter: "\t", eol: "\r\n", sepLine: true }],
  ];
  it.each(shapes)("%s: the delimiter, line 1 of the file, neither the header nor a rejected row", async (_name, shape) => {
    const listing = writeShapedCsv(dir, "sep.csv", shape);
    expect(listing.headerLine).toBe(2);
    const { report } = await importListing(listing.path);
    expect(report.detected).toMatchObject({ format: "csv", delimiter: shape.delimiter, headerLine: 2, sheet: null });
    expect(report.detected.notes).toEqual([
      expect.stringMatching(new RegExp(`^Ligne 1 : « sep=${shape.delimiter === "\t" ? "\\\\t" : shape.delimiter} » déclare le séparateur \\((point-virgule|virgule|tabulation)\\)`)),
    ]);
    // line numbers as a text editor shows them: the sep= line is line 1, the header line 2
    expectShapedReport(report, listing.lines, 0);
    expect(listing.lines.dupont).toBe(3);
    // every line: the declaration, the header, and the rows read, rejected or skipped
    expect(1 + 1 + report.counts.rows + report.counts.skipped).toBe(listing.physicalLines);
  });
});

describe("a title and blank lines above the header", () => {
  it.each<[string, CsvShape]>([
    ["Windows-1252 ;, CRLF", { encoding: "windows-1252", delimiter: ";", eol: "\r\n", above: TITLE }],
    ["UTF-8 with BOM ,, LF", { encoding: "utf-8-bom", delimiter: ",", eol: "\n", above: TITLE }],
    // Excel pads a title row with delimiters up to the listing's width
    ["Windows-1252 ;, CRLF, padded by Excel", { encoding: "windows-1252", delimiter: ";", eol: "\r\n", above: TITLE.map((l) => l + ";".repeat(6)) }],
  ])("CSV %s: the header found on line 4; the lines above neither imported nor rejected; lines of the file kept", async (_name, shape) => {
    const listing = writeShapedCsv(dir, "titre.csv", shape);
    const { report } = await importListing(listing.path);
    expect(report.detected).toMatchObject({ delimiter: shape.delimiter, headerLine: 4 });
    expect(report.detected.notes).toEqual(["En-tête trouvé ligne 4 : les lignes 1 à 3, au-dessus, ne sont pas importées (un titre, des lignes vides : pas des lignes du listing)."]);
    expect(listing.lines.sixDigitDate).toBe(6);
    // the title's two lines and the blank one under them are skipped, like a blank line or a TOTAL below
    expectShapedReport(report, listing.lines, 3);
    expect(report.counts.rows + report.counts.skipped + 1).toBe(listing.physicalLines); // header + every other line
  });

  it("after a « sep=; » line too: header on line 5, the title counted from line 2", async () => {
    const listing = writeShapedCsv(dir, "sep-titre.csv", { encoding: "windows-1252", delimiter: ";", eol: "\r\n", sepLine: true, above: TITLE });
    const { report } = await importListing(listing.path);
    expect(report.detected.headerLine).toBe(5);
    expect(report.detected.notes[1]).toMatch(/^En-tête trouvé ligne 5 : les lignes 2 à 4, au-dessus, ne sont pas importées/);
    expectShapedReport(report, listing.lines, 3);
  });

  it("XLSX: a merged title cell over the header's width, a missing row, the header on row 3", async () => {
    const sheet = shapedSheet("Patients", { headerAt: 3, title: "Patients ALD sans MT — Département 69" });
    const { report } = await importListing(await writeWorkbook(dir, "titre.xlsx", [sheet]));
    expect(report.detected).toMatchObject({ format: "xlsx", headerLine: 3, sheet: "Patients" });
    expect(report.detected.notes).toEqual(["En-tête trouvé ligne 3 : les lignes 1 et 2, au-dessus, ne sont pas importées (un titre, des lignes vides : pas des lignes du listing)."]);
    // Excel's row numbers; the title row is skipped (row 2 does not exist in the file)
    expect(sheet.lines.sixDigitDate).toBe(5);
    expectShapedReport(report, sheet.lines, 1);
  });

  it("rows above the header that look like the listing's: the coordinator is asked first, with the reason", async () => {
    const listing = writeShapedCsv(dir, "dessus.csv", { encoding: "windows-1252", delimiter: ";", eol: "\r\n", above: ["Département;69;Extraction;01/12/2026"] });
    const { importId, prepared } = await upload(listing.path);
    expect(prepared.ready).toBe(false);
    const report = await importReport(db(), importId, { withRows: true });
    expect(report.needsMapping).toMatchObject({
      headerLine: 2,
      unsure: ["la ligne 1, au-dessus de l'en-tête (ligne 2), ne sera pas importée : vérifiez dans l'aperçu que l'en-tête est la bonne ligne et qu'aucun patient n'est au-dessus"],
    });
    expect((report.needsMapping as { rows: { line: number }[] }).rows[0].line).toBe(listing.lines.dupont);
  });
});

describe("a workbook that opens on a notice sheet", () => {
  const listing = shapedSheet("Patients", { headerAt: 2, title: "Extraction CPAM du 01/12/2026" });
  const first = shapedSheet("Patients");
  it.each<[string, SheetSpec[], typeof listing, number, string[]]>([
    ["reads the first sheet with a recognisable header, and says which", [noticeSheet("Lisez-moi"), listing], listing, 1, [
      "En-tête trouvé ligne 2 de la feuille « Patients » : la ligne 1, au-dessus, n'est pas importée (un titre, des lignes vides : pas des lignes du listing).",
      "Feuille importée : « Patients », la 2e du classeur.",
      "Feuille « Lisez-moi » non importée : pas de ligne d'en-tête reconnue dans les 30 premières lignes.",
    ]],
    ["several sheets with a header: the first is imported, the report names the other", [noticeSheet(), first, shapedSheet("Patients 2025"), noticeSheet("Légende")], first, 0, [
      "Feuille importée : « Patients », la 2e du classeur.",
      "Feuille « Notice » non importée : pas de ligne d'en-tête reconnue dans les 30 premières lignes.",
      "La feuille « Patients 2025 » a aussi une ligne d'en-tête reconnue : elle n'est pas importée, seule la première feuille qui en a une (« Patients ») l'est ; importez-la à part si elle doit l'être.",
    ]],
    ["a template's hidden lists first, whose first row names columns: never taken for the listing", [
      { name: "Listes", hidden: true, rows: [{ at: 1, cells: ["Sexe", "ALD", "CSS"] }, { at: 2, cells: ["F", "O", "O"] }, { at: 3, cells: ["M", "N", "N"] }] }, first,
    ], first, 0, [
      "Feuille importée : « Patients », la 2e du classeur.",
      "Feuille masquée « Listes » non importée : une feuille masquée dans Excel (listes, calculs) n'est pas lue comme un listing ; affichez-la et importez-la à part si elle en est un.",
    ]],
  ])("%s", async (_name, sheets, read, above, notes) => {
    const { report, campaign } = await importListing(await writeWorkbook(dir, "classeur.xlsx", sheets));
    expect(report.detected).toEqual({ encoding: null, delimiter: null, format: "xlsx", headerLine: 1 + above, sheet: "Patients", notes });
    expectShapedReport(report, read.lines, above);
    // only the patients of the listing's sheet are enrolled
    expect(await db().enrolment.count({ where: { campaignId: campaign.id } })).toBe(SHAPED_COUNTS.accepted);
  });

  it("no sheet with a header: the mapping is asked, with the reason in French", async () => {
    const data: SheetSpec = { name: "Données", rows: [{ at: 1, cells: ["COL_A", "COL_B", "COL_C"] }, { at: 2, cells: ["DUPONT", "Marie", "0612345678"] }] };
    const { importId, prepared } = await upload(await writeWorkbook(dir, "aucune.xlsx", [noticeSheet(), data]));
    expect(prepared).toMatchObject({ ready: false, failed: null });
    const report = await importReport(db(), importId, { withRows: true });
    expect(report.status).toBe("uploaded");
    expect(report.needsMapping).toMatchObject({
      sheet: "Notice",
      headerLine: 1,
      unsure: [
        "aucune feuille du classeur (« Notice », « Données ») n'a de ligne d'en-tête reconnue dans ses 30 premières lignes : la première feuille, « Notice », est proposée avec sa première ligne comme en-tête",
      ],
      missingRequired: expect.arrayContaining(["date de naissance"]),
    });
  });
});

describe("npm run cli -- import", () => {
  const cli = (args: string[]) => runTs("server/cli/main.ts", args);

  it("a workbook with a notice sheet and a title: imported without a warning on stderr, the report says what was read", async () => {
    const org = await makeOrganisation({ kind: "CPAM" });
    const campaign = await makeCampaign(org.id);
    const sheet = shapedSheet("Patients", { headerAt: 3, title: "Patients ALD sans MT — Département 69" });
    const path = await writeWorkbook(dir, "cli.xlsx", [noticeSheet(), sheet, noticeSheet("Légende")]);
    const res = await cli(["import", "patients", "--campaign", campaign.id, path]);
    expect(res.stderr).toBe(""); // no MaxListenersExceededWarning (a workbook has more than ten entries)
    expect(res.code).toBe(0);
    const report = JSON.parse(res.stdout);
    expect(report.detected).toMatchObject({ format: "xlsx", headerLine: 3, sheet: "Patients" });
    expect(report.counts).toEqual({ ...SHAPED_COUNTS, merged: 0, remarked: 0, skipped: SHAPED_COUNTS.skipped + 1 });
    expect(report.rejected.map((r: { line: number }) => r.line)).toEqual([sheet.lines.sixDigitDate, sheet.lines.badPhone]);
  });

  it("a directory given as the file: says it is a directory", async () => {
    const res = await cli(["import", "patients", "--campaign", "00000000-0000-4000-8000-000000000000", dir]);
    expect(res.code).toBe(2);
    // the campaign is looked up first: an unknown one answers before the file
    expect(res.stderr).toMatch(/Campagne introuvable/);
    const org = await makeOrganisation({ kind: "CPAM" });
    const campaign = await makeCampaign(org.id);
    const inDir = await cli(["import", "patients", "--campaign", campaign.id, dir]);
    expect(inDir.code).toBe(2);
    expect(inDir.stderr).toBe(`Erreur : « ${dir} » est un dossier, pas un fichier : donnez le chemin du listing lui-même (par exemple ${dir}/listing.csv).\n`);
    const missing = await cli(["import", "gps", "--org", org.id, `${dir}/absent.csv`]);
    expect(missing.stderr).toBe(`Erreur : Fichier introuvable : ${dir}/absent.csv\n`);
  });

  it("--header-line: fund IT names the header line detection would not take; a line the file lacks is refused, nothing kept", async () => {
    const org = await makeOrganisation({ kind: "CPAM" });
    const campaign = await makeCampaign(org.id);
    const path = `${dir}/cli-double-entete.csv`;
    writeFileSync(path, ["Extraction CPAM du 01/12/2026", "NOM;PRENOM;Date de naissance;Téléphone;Commune", "NOM_NAISSANCE;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE",
      "LAMBERT;Odile;12/12/1950;06 12 34 56 78;42095"].join("\r\n") + "\r\n");
    const res = await cli(["import", "patients", "--campaign", campaign.id, "--header-line", "3", path]);
    expect(res.stderr).toBe("");
    const report = JSON.parse(res.stdout);
    expect(report).toMatchObject({ status: "done", detected: { headerLine: 3 }, counts: { rows: 1, accepted: 1, rejected: 0, skipped: 2 } });
    const beyond = await cli(["import", "patients", "--campaign", campaign.id, "--header-line", "40", path]);
    expect(beyond.code).toBe(2);
    expect(beyond.stderr).toBe("Erreur : La ligne 40 ne peut pas être l'en-tête : il est choisi parmi les 30 premières lignes de la feuille, non vides (lignes 1 à 4).\n");
    expect(await db().import.findMany({ where: { campaignId: campaign.id }, select: { status: true }, orderBy: { createdAt: "asc" } })).toEqual([{ status: "done" }, { status: "failed" }]);
    expect((await cli(["import", "patients", "--campaign", campaign.id, "--header-line", "trois", path])).stderr).toMatch(/^Erreur : --header-line : numéro de ligne attendu$/m);
  });

  it("a workbook without any recognisable header: refused, with the sheets named", async () => {
    const org = await makeOrganisation({ kind: "CPAM" });
    const campaign = await makeCampaign(org.id);
    const path = await writeWorkbook(dir, "cli-aucune.xlsx", [noticeSheet(), { name: "Données", rows: [{ at: 1, cells: ["COL_A", "COL_B"] }, { at: 2, cells: ["DUPONT", "Marie"] }] }]);
    const res = await cli(["import", "patients", "--campaign", campaign.id, path]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^Erreur : Aucune feuille du classeur \(« Notice », « Données »\) n'a de ligne d'en-tête reconnue dans ses 30 premières lignes : la première feuille, « Notice », est proposée avec sa première ligne comme en-tête\. Colonnes non reconnues : il manque /);
  });
});
