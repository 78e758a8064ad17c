import { randomBytes } from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { storeCommunes } from "../../server/geo/storeCommunes.ts";
import { runMigrations } from "../../scripts/prisma-migrate.ts";
import { admin, dropDatabase, templateDb, urlOf, WORKER_DBS, workerDb } from "./databases.ts";

declare module "vitest" {
  export interface ProvidedContext {
    testRunId: string;
  }
}

export default async function setup(project: TestProject) {
  const runId = randomBytes(3).toString("hex");
  project.provide("testRunId", runId);
  const template = templateDb(runId);
  await runMigrations("deploy", urlOf(template), undefined, true);
  const client = new pg.Client({ connectionString: urlOf(template) });
  await client.connect();
  await storeCommunes(client);
  await client.end();
  await admin(async (c) => {
    for (let i = 1; i <= WORKER_DBS; i++) await c.query(`CREATE DATABASE "${workerDb(runId, i)}" TEMPLATE "${template}"`);
  });
  return async () => {
    await admin(async (c) => {
      for (let i = 1; i <= WORKER_DBS; i++) await dropDatabase(c, workerDb(runId, i));
      await dropDatabase(c, template);
    });
  };
}
