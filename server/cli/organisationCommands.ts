import { Command, Option } from "commander";
import { db } from "../db.ts";
import { createOrganisation } from "../organisations/createOrganisation.ts";
import { organisationInput, publicOrganisation } from "../organisations/schemas.ts";
import { printJson } from "./printJson.ts";
import { FRENCH_TIME_ZONES } from "../../shared-types/timeZones.ts";

export function organisationCommands(): Command {
  const org = new Command("org").description("Organisations (CPAM, MSA, CPTS)");
  org
    .command("create")
    .description("Crée une organisation et affiche son enregistrement en JSON")
    .addOption(new Option("--kind <kind>", "type d'organisation").choices(["CPAM", "MSA", "CPTS"]).makeOptionMandatory())
    .requiredOption("--name <name>", "nom de l'organisation")
    .option("--territory <codes>", "codes INSEE des communes couvertes, séparés par des virgules ou des espaces", "")
    .addOption(new Option("--time-zone <zone>", "fuseau horaire (défaut : celui des communes du territoire, sinon Europe/Paris)").choices(Object.keys(FRENCH_TIME_ZONES)))
    .action(async (opts: { kind: string; name: string; territory: string; timeZone?: string }) => {
      const input = organisationInput.parse({ kind: opts.kind, name: opts.name, territory: opts.territory.split(/[\s,;]+/).filter(Boolean), timeZone: opts.timeZone });
      printJson(await db().$transaction((tx) => createOrganisation(tx, input, { actorLabel: "cli" })));
    });
  org
    .command("list")
    .description("Liste les organisations en JSON")
    .action(async () => {
      printJson((await db().organisation.findMany({ orderBy: { name: "asc" } })).map(publicOrganisation));
    });
  return org;
}
