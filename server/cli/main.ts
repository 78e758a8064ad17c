// npm run cli -- <command>: scripted set-ups for a fund's IT. Prints JSON on stdout
// (use `npm run -s cli -- …` to drop npm's banner when piping). Same DATABASE_URL as the server.
import { Command, CommanderError } from "commander";
import { z } from "zod";
import { EnvError } from "../env.ts";
import { AppError, toAppError } from "../errors.ts";
import { organisationCommands } from "./organisationCommands.ts";
import { userCommands } from "./userCommands.ts";
import { campaignCommands, exportCommands, importCommands } from "./campaignCommands.ts";
import { closeDb } from "../db.ts";
import { frenchCommander } from "./frenchCommander.ts";
import { closePgPool } from "../pgPool.ts";

export function buildCli(): Command {
  const program = new Command("cli")
    .description("Orientation MT — administration en ligne de commande (sortie JSON)")
    .exitOverride()
    .showHelpAfterError();
  program.addCommand(organisationCommands());
  program.addCommand(userCommands());
  program.addCommand(campaignCommands());
  program.addCommand(importCommands());
  program.addCommand(exportCommands());
  frenchCommander(program);
  return program;
}

async function main() {
  try {
    await buildCli().parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
    } else if (err instanceof EnvError) {
      console.error(`Erreur : ${err.message}`);
      process.exitCode = 1;
    } else if (err instanceof z.ZodError) {
      // an option's value refused by its schema: its message names the option (« --campaign : … »)
      console.error(`Erreur : ${err.issues.map((i) => (i.path.length ? `${i.path.join(".")} : ${i.message}` : i.message)).join(" ; ")}`);
      process.exitCode = 2;
    } else {
      const appError = err instanceof AppError ? err : toAppError(err);
      console.error(`Erreur : ${appError.userMessage}`);
      process.exitCode = appError.status >= 500 ? 1 : 2;
    }
  } finally {
    await closeDb();
    await closePgPool();
  }
}

await main();
