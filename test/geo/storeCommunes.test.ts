import { describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { pgPool } from "../../server/pgPool.ts";
import { storeCommunes } from "../../server/geo/storeCommunes.ts";

describe("communes in PostgreSQL", () => {
  it("are loaded once (the test template has them) and resolve by INSEE code, Corsica and overseas included", async () => {
    expect(await storeCommunes(pgPool())).toBe(0); // already there: nothing rewritten
    const [firminy, ajaccio, saintDenis] = await Promise.all(["42095", "2A004", "97411"].map((c) => db().commune.findUnique({ where: { inseeCode: c } })));
    expect(firminy).toMatchObject({ name: "Firminy", department: "42" });
    expect(firminy!.postalCodes).toContain("42700");
    expect(firminy!.population).toBeGreaterThan(10_000);
    expect(ajaccio).toMatchObject({ name: "Ajaccio", department: "2A" });
    expect(saintDenis!.lat).toBeLessThan(-20);
    expect(await db().commune.count()).toBeGreaterThan(35_000);
  });
});
