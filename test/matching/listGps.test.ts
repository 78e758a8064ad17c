// The coordinator's GP roster: communes by name, search by name, commune, team or RPPS start, a total with a cut list.
import { describe, expect, it } from "vitest";
import { listGps } from "../../server/matching/listGps.ts";
import { pgPool } from "../../server/pgPool.ts";
import { makeGp, makeTeam } from "../factories/matching.ts";
import { makeOrganisation } from "../factories/organisations.ts";

describe("listGps", () => {
  it("names each GP's commune and team, finds them whatever the accents, and says how many it did not show", async () => {
    const org = await makeOrganisation();
    const other = await makeOrganisation();
    const team = await makeTeam(org.id, { name: "MSP Cœur du Pilat", inseeCode: "42095" });
    const martin = await makeGp(org.id, { lastName: "D'ARTAGNAN-MARTIN", rpps: "10000000017", inseeCode: "42218" });
    await makeGp(org.id, { lastName: "PETIT", rpps: "10000000025", inseeCode: "42095", teamId: team.id });
    for (let i = 0; i < 5; i++) await makeGp(org.id, { lastName: `ZOLA${i}`, inseeCode: "97411" });
    await makeGp(other.id, { lastName: "MARTIN", rpps: "10000000033", inseeCode: "42218" });

    const all = await listGps(pgPool(), org.id, "", 3);
    expect(all.total).toBe(7);
    expect(all.gps.map((g) => g.lastName)).toEqual(["D'ARTAGNAN-MARTIN", "PETIT", "ZOLA0"]);
    expect(all.gps[0]).toMatchObject({ id: martin.id, inseeCode: "42218", commune: "Saint-Étienne", team: null });
    expect(all.gps[1]).toMatchObject({ commune: "Firminy", team: "MSP Cœur du Pilat", teamId: team.id });

    const names = async (q: string) => (await listGps(pgPool(), org.id, q, 50)).gps.map((g) => g.lastName);
    expect(await names("martin")).toEqual(["D'ARTAGNAN-MARTIN"]); // not the other organisation's MARTIN
    expect(await names("artagnan")).toEqual(["D'ARTAGNAN-MARTIN"]);
    expect(await names("saint etienne")).toEqual(["D'ARTAGNAN-MARTIN"]);
    expect(await names("SAINT-ÉTIENNE")).toEqual(["D'ARTAGNAN-MARTIN"]);
    expect(await names("coeur pilat")).toEqual(["PETIT"]); // by team
    expect(await names("1000000002")).toEqual(["PETIT"]); // by the start of the RPPS
    expect(await names("saint-denis")).toHaveLength(5); // La Réunion
    expect(await listGps(pgPool(), org.id, "personne", 50)).toEqual({ total: 0, gps: [] });
  });
});
