import { Command, Option } from "commander";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { db } from "../db.ts";
import { errors } from "../errors.ts";
import { createCampaign, findCampaign, findCampaignForListing } from "../campaigns/createCampaign.ts";
import { campaignInput } from "../campaigns/schemas.ts";
import { acceptListing, type ListingTarget } from "../imports/acceptListing.ts";
import { dropUnimportable } from "../imports/prepareImport.ts";
import { runImport } from "../imports/runImport.ts";
import { importReport } from "../imports/importReport.ts";
import { exportPatients } from "../imports/exportPatients.ts";
import { writeAudit } from "../audit/writeAudit.ts";
import { printJson } from "./printJson.ts";

const uuid = (what: string) => z.uuid({ message: `${what} : identifiant invalide (UUID attendu)` });
const HEADER_LINE = "--header-line <n>";
const HEADER_LINE_HELP = "ligne d'en-tête du fichier (par défaut : détectée parmi les 30 premières lignes)";
const headerLine = (value: string | undefined) =>
  value === undefined ? undefined : z.coerce.number({ message: "--header-line : numéro de ligne attendu" }).int({ message: "--header-line : numéro de ligne attendu" }).min(1, { message: "--header-line : numéro de ligne attendu" }).parse(value);

export function campaignCommands(): Command {
  const campaign = new Command("campaign").description("Campagnes de phoning");
  campaign
    .command("create")
    .description("Crée une campagne et l'affiche en JSON")
    .requiredOption("--org <id>", "identifiant de l'organisation")
    .requiredOption("--name <name>", "nom de la campagne")
    .addOption(new Option("--type <type>", "type de campagne").choices(["ald-sans-mt", "retirement", "regularisation"]).makeOptionMandatory())
    .option("--leaving-gp <rpps>", "RPPS du médecin qui cesse son activité (type retirement)")
    .option("--requires-consent", "n'appeler que les patients ayant consenti à être contactés")
    .action(async (opts: { org: string; name: string; type: string; leavingGp?: string; requiresConsent?: boolean }) => {
      const input = campaignInput.parse({ name: opts.name, type: opts.type, leavingGpRpps: opts.leavingGp, requiresContactConsent: opts.requiresConsent });
      printJson(await db().$transaction((tx) => createCampaign(tx, uuid("--org").parse(opts.org), input, { actorLabel: "cli" })));
    });
  return campaign;
}

export function importCommands(): Command {
  const imp = new Command("import").description("Imports de listings");
  imp
    .command("patients")
    .description("Importe un listing de patients (CSV, TSV ou XLSX) dans une campagne et affiche le compte rendu en JSON")
    .requiredOption("--campaign <id>", "identifiant de la campagne")
    .option(
      IGNORE_UNRECOGNISED,
      "importe même si une colonne qui peut dire qui appeler (opposition, médecin traitant, consentement, ALD, CSS) n'a pas été reconnue : elle est alors ignorée",
    )
    .option(HEADER_LINE, HEADER_LINE_HELP)
    .argument("<file>", "fichier du listing")
    .action(async (file: string, opts: { campaign: string; ignoreUnrecognised?: boolean; headerLine?: string }) => {
      const campaign = await findCampaignForListing(db(), null, uuid("--campaign").parse(opts.campaign));
      printJson(await importFile(file, { organisationId: campaign.organisationId, campaignId: campaign.id, kind: "patients" },
        { ignoreUnrecognised: Boolean(opts.ignoreUnrecognised), headerLine: headerLine(opts.headerLine) }));
    });
  imp
    .command("gps")
    .description("Importe un annuaire de médecins (RPPS, lieu d'exercice, MSP, capacité) dans une organisation et affiche le compte rendu en JSON")
    .requiredOption("--org <id>", "identifiant de l'organisation")
    .option(HEADER_LINE, HEADER_LINE_HELP)
    .argument("<file>", "fichier de l'annuaire")
    .action(async (file: string, opts: { org: string; headerLine?: string }) => {
      const organisationId = uuid("--org").parse(opts.org);
      if (!(await db().organisation.findUnique({ where: { id: organisationId } }))) throw errors.notFound("Organisation");
      printJson(await importFile(file, { organisationId, campaignId: null, kind: "gps" }, { headerLine: headerLine(opts.headerLine) }));
    });
  return imp;
}

const IGNORE_UNRECOGNISED = "--ignore-unrecognised";

/**
 * The CLI's import: store, detect, then run in this process (same code as the worker). Nobody is there to check the
 * mapping, so an unsure detection runs, except when a column that may decide who is called was not recognised.
 */
async function importFile(file: string, target: ListingTarget, { ignoreUnrecognised = false, headerLine }: { ignoreUnrecognised?: boolean; headerLine?: number } = {}) {
  const problem = await notAListingFile(file);
  if (problem) throw errors.badRequest(problem);
  const accepted = await acceptListing(db(), target, createReadStream(file), path.basename(file), { actorLabel: "cli" }, { acceptUnsure: true, ignoreUnrecognised, headerLine });
  if (accepted.failed) throw errors.badRequest(accepted.failed);
  if (!accepted.ready) {
    const noSheet = accepted.sheetProblem ? `${accepted.sheetProblem.replace(/^./, (c) => c.toUpperCase())}. ` : "";
    const reason = noSheet + (accepted.missingRequired.length
      ? `Colonnes non reconnues : il manque ${accepted.missingRequired.join(", ")}. Renommez ces colonnes dans l'en-tête du fichier, ou déposez-le dans la console pour indiquer la correspondance.`
      : `Colonnes non reconnues : ${accepted.unrecognised.join(" ; ")}. Renommez ces colonnes dans l'en-tête du fichier, déposez-le dans la console pour indiquer la correspondance, ou relancez avec ${IGNORE_UNRECOGNISED} pour l'importer sans elles.`);
    await dropUnimportable(db(), accepted.importId, reason);
    throw errors.badRequest(reason);
  }
  await runImport(accepted.importId);
  const { counts, rejected, remarks, ignoredColumns, id, status, detected } = await importReport(db(), accepted.importId);
  return { id, status, detected, counts, rejected, remarks, ignoredColumns };
}

/** Why the path given to an import cannot be read as a file, in French, or null. */
async function notAListingFile(file: string): Promise<string | null> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return `« ${file} » est un dossier, pas un fichier : donnez le chemin du listing lui-même (par exemple ${path.join(file, "listing.csv")}).`;
    if (!info.isFile()) return `« ${file} » n'est pas un fichier ordinaire : donnez le chemin du listing lui-même.`;
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM") return `Fichier illisible : accès refusé à ${file}.`;
    if (code === "ENOTDIR") return `Fichier introuvable : ${file} (un élément du chemin n'est pas un dossier).`;
    return `Fichier introuvable : ${file}`;
  }
}

export function exportCommands(): Command {
  const exp = new Command("export").description("Exports");
  exp
    .command("patients")
    .description("Exporte les patients d'une campagne tels qu'enregistrés (téléphones normalisés, INSEE, indicateurs, éligibilité, sources)")
    .requiredOption("--campaign <id>", "identifiant de la campagne")
    .addOption(new Option("--format <format>", "format de sortie").choices(["json", "csv"]).default("json"))
    .action(async (opts: { campaign: string; format: "json" | "csv" }) => {
      const campaign = await findCampaign(db(), null, uuid("--campaign").parse(opts.campaign));
      await writeAudit(db(), { action: "patient.export", organisationId: campaign.organisationId, actorLabel: "cli", targetType: "campaign", targetId: campaign.id, details: { format: opts.format } });
      await exportPatients(campaign.id, opts.format, process.stdout, { organisationId: campaign.organisationId, actorUserId: null, actorLabel: "cli" });
    });
  return exp;
}
