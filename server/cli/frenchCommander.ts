// commander's own words (help titles, option details, parse errors) in French, for every command: the CLI is read by
// the funds' IT, in French like the rest of the product. commander has no locale; its texts are stable strings.
import type { Command } from "commander";

const TITLES: Record<string, string> = {
  "Usage:": "Utilisation :",
  "Options:": "Options :",
  "Commands:": "Commandes :",
  "Arguments:": "Arguments :",
  "Global Options:": "Options générales :",
};

const PHRASES: [RegExp, string][] = [
  [/^error: /gm, "Erreur : "],
  [/required option '([^']+)' not specified/g, "l'option obligatoire « $1 » manque"],
  [/unknown command '([^']+)'/g, "commande inconnue « $1 »"],
  [/unknown option '([^']+)'/g, "option inconnue « $1 »"],
  [/\(Did you mean (?:one of )?([^)]+)\?\)/g, "(vouliez-vous dire $1 ?)"],
  [/missing required argument '([^']+)'/g, "l'argument obligatoire « $1 » manque"],
  [/option '([^']+)' argument missing/g, "l'option « $1 » attend une valeur"],
  [/option '([^']+)' argument '([^']*)' is invalid\. Allowed choices are ([^.]+)\./g, "la valeur « $2 » de l'option « $1 » n'est pas possible ; valeurs possibles : $3."],
  [/too many arguments(?: for '([^']+)')?\. Expected (\d+) arguments? but got (\d+)\./g, "trop d'arguments : $2 attendus, $3 reçus."],
  [/\(add --help for additional information\)/g, "(--help pour l'aide)"],
  [/ \[command\]/g, " [commande]"],
  [/\(choices: /g, "(valeurs : "],
  [/([(,] ?)default: /g, "$1par défaut : "],
];

export function inFrench(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PHRASES) out = out.replace(pattern, replacement);
  return out;
}

/** Applies the French words to the command and all its subcommands (subcommands built apart do not inherit them). */
export function frenchCommander(command: Command) {
  command.helpOption("-h, --help", "affiche l'aide de la commande");
  if (command.commands.length) command.helpCommand("help [commande]", "affiche l'aide d'une commande");
  command.configureHelp({ styleTitle: (title) => TITLES[title] ?? title });
  command.configureOutput({
    writeOut: (text) => process.stdout.write(inFrench(text)),
    writeErr: (text) => process.stderr.write(inFrench(text)),
  });
  for (const sub of command.commands) frenchCommander(sub);
}
