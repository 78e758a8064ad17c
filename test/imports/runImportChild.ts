// Runs one import in its own process, so a test can kill -9 it mid-way.
import { runImport } from "../../server/imports/runImport.ts";
import { closeDb } from "../../server/db.ts";
import { closePgPool } from "../../server/pgPool.ts";

await runImport(process.argv[2]);
await closeDb();
await closePgPool();
