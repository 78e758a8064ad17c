import pg from "pg";
import { storeCommunes } from "../../server/geo/storeCommunes.ts";
import { runMigrations } from "../../scripts/prisma-migrate.ts";
import { admin, recreateFromTemplate, TEMPLATE_DB, urlOf, WORKER_DBS, workerDb } from "./databases.ts";

export default async function setup() {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DB}" WITH (FORCE)`));
  await runMigrations("deploy", urlOf(TEMPLATE_DB), undefined, true);
  const template = new pg.Client({ connectionString: urlOf(TEMPLATE_DB) });
  await template.connect();
  await storeCommunes(template);
  await template.end();
  await admin(async (c) => {
    for (let i = 1; i <= WORKER_DBS; i++) await recreateFromTemplate(c, workerDb(i));
  });
}
