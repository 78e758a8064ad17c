import { Command, Option } from "commander";
import { createInterface } from "node:readline/promises";
import { db } from "../db.ts";
import { errors } from "../errors.ts";
import { ROLES } from "../auth/policy.ts";
import { createUser, prepareUser } from "../users/createUser.ts";
import { publicUser, userInput } from "../users/schemas.ts";
import { printJson } from "./printJson.ts";
import { z } from "zod";

const orgId = z.uuid({ message: "--org : identifiant d'organisation invalide (UUID attendu)" });

/** Reads a password from the terminal without echoing it (or from a pipe, one line). */
async function promptPassword(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  const out = rl as unknown as { _writeToOutput?: (s: string) => void };
  if (process.stdin.isTTY) {
    process.stderr.write(question);
    out._writeToOutput = () => {};
  }
  // An input that ends before a line (</dev/null, an empty pipe) closes the prompt: said, rather than a silent exit.
  const closed = new Promise<never>((_, reject) =>
    rl.once("close", () => reject(errors.badRequest("Mot de passe non saisi : donnez --password, ou lancez la commande dans un terminal."))));
  try {
    return await Promise.race([rl.question(process.stdin.isTTY ? "" : question), closed]);
  } finally {
    if (process.stdin.isTTY) process.stderr.write("\n");
    rl.close();
  }
}

export function userCommands(): Command {
  const user = new Command("user").description("Utilisateurs");
  user
    .command("create")
    .description("Crée un utilisateur dans une organisation et l'affiche en JSON (mot de passe : --password ou saisi)")
    .requiredOption("--org <id>", "identifiant de l'organisation")
    .requiredOption("--email <email>", "adresse e-mail (identifiant de connexion)")
    .addOption(new Option("--role <role>", "rôle").choices(ROLES).makeOptionMandatory())
    .requiredOption("--name <name>", "nom affiché (prénom et nom : le script le lit au patient)")
    .option("--password <password>", "mot de passe (au moins 12 caractères) ; demandé s'il est absent")
    .option("--phone <phone>", "téléphone de l'agent (mise en relation Twilio par son propre téléphone)")
    .option("--team <équipe>", "équipe ou site de l'agent (une campagne peut être confiée à des équipes entières)")
    .action(async (opts: { org: string; email: string; role: string; name: string; password?: string; phone?: string; team?: string }) => {
      const organisationId = orgId.parse(opts.org);
      const password = opts.password ?? (await promptPassword("Mot de passe : "));
      const input = userInput.parse({ email: opts.email, name: opts.name, role: opts.role, password, phone: opts.phone, team: opts.team });
      const prepared = await prepareUser(input);
      printJson(await db().$transaction((tx) => createUser(tx, organisationId, prepared, { actorLabel: "cli" })));
    });
  user
    .command("list")
    .description("Liste les utilisateurs d'une organisation en JSON")
    .requiredOption("--org <id>", "identifiant de l'organisation")
    .action(async (opts: { org: string }) => {
      printJson((await db().user.findMany({ where: { organisationId: orgId.parse(opts.org) }, orderBy: { email: "asc" } })).map(publicUser));
    });
  return user;
}
