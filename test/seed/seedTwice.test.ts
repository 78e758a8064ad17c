// Two processes seeding the demo at once (two web processes started together with DEMO=true) give one
// demo, not a crash on a unique key: the seed runs under an advisory lock.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import { admin, dropDatabase, templateDb, urlOf } from "../setup/databases.ts";
import { runTs } from "../helpers/run.ts";
import { distanceKm } from "../../server/geo/distanceKm.ts";

const database = `omt_test_${inject("testRunId")}_seed_twice`;

beforeAll(async () => {
  await admin(async (c) => {
    await dropDatabase(c, database);
    await c.query(`CREATE DATABASE "${database}" TEMPLATE "${templateDb(inject("testRunId"))}"`);
  });
});
afterAll(() => admin((c) => dropDatabase(c, database)));

describe("the demo seed", () => {
  it("run by two processes at once, creates the demo once", async () => {
    const env = { DATABASE_URL: urlOf(database) };
    const runs = await Promise.all([runTs("server/seed/main.ts", [], { env, timeoutMs: 120_000 }), runTs("server/seed/main.ts", [], { env, timeoutMs: 120_000 })]);
    for (const r of runs) {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("Comptes de démonstration");
    }
    const c = new pg.Client({ connectionString: urlOf(database) });
    await c.connect();
    const { rows: [n] } = await c.query(`SELECT (SELECT count(*) FROM "Organisation")::int AS orgs, (SELECT count(*) FROM "User")::int AS users,
      (SELECT count(*) FROM "Campaign")::int AS campaigns, (SELECT count(*) FROM "Import")::int AS imports, (SELECT count(*) FROM "Patient")::int AS patients`);
    // the CPTS's listing is of its own territory: no patient of it lives elsewhere, and its GPs practise at most a
    // town away (within 15 km of a commune of the territory)
    const { rows: [{ patientsOutside }] } = await c.query(`SELECT count(*)::int AS "patientsOutside"
      FROM "Patient" p JOIN "Organisation" o ON o."id" = p."organisationId" WHERE NOT p."inseeCode" = ANY (o."territory")`);
    const { rows: territory } = await c.query(`SELECT tc."lat", tc."lng" FROM "Organisation" o JOIN "Commune" tc ON tc."inseeCode" = ANY (o."territory")`);
    const { rows: gps } = await c.query(`SELECT gc."lat", gc."lng" FROM "Gp" g JOIN "Commune" gc ON gc."inseeCode" = g."inseeCode"`);
    await c.end();
    const gpsFar = gps.filter((g) => !territory.some((t) => distanceKm(g.lat, g.lng, t.lat, t.lng) < 15)).length;
    expect({ patientsOutside, gpsFar }).toEqual({ patientsOutside: 0, gpsFar: 0 });
    expect(gps.length).toBeGreaterThan(20);
    expect(n).toEqual({ orgs: 2, users: 6, campaigns: 1, imports: 2, patients: expect.any(Number) });
    expect(n.patients).toBeGreaterThan(250);
  });
});
