// The territorial diagnosis on seeded data: counts per commune and in total, shares of the
// population, GPs with room, small counts suppressed.
import { describe, expect, it } from "vitest";
import { pgPool } from "../../server/pgPool.ts";
import { territorialDiagnosis } from "../../server/reports/territorialDiagnosis.ts";
import { suppressSmallCounts } from "../../server/reports/suppressSmallCounts.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { makeGp, makeTeam } from "../factories/matching.ts";
import { makeStories, type Story } from "../factories/reports.ts";

const TODAY = new Date("2026-12-01T12:00:00Z");

describe("suppressSmallCounts", () => {
  it("hides 1 to 4, shows 0, masks a second cell when one alone is hidden", () => {
    const t = suppressSmallCounts([{ n: 12 }, { n: 3 }, { n: 6 }, { n: 0 }], ["n"]);
    expect(t.rows.map((r) => r.n.label)).toEqual(["12", "< 5", "masqué", "0"]);
    expect(t.totals.n).toEqual({ count: 21, label: "21" });
    const two = suppressSmallCounts([{ n: 12 }, { n: 3 }, { n: 2 }], ["n"]);
    expect(two.rows.map((r) => r.n.label)).toEqual(["12", "< 5", "< 5"]);
    const lone = suppressSmallCounts([{ n: 3 }, { n: 0 }], ["n"]);
    expect(lone.totals.n.label).toBe("< 5");
  });
});

describe("territorial diagnosis", () => {
  it("counts the patients without MT per commune and in total, with shares and GPs, small counts suppressed", async () => {
    const org = await makeOrganisation({ territory: ["42218", "42095", "42279"] });
    const campaign = await makeCampaign(org.id);
    const stories: Story[] = [
      // Saint-Étienne (42218): 12 patients 17+ without MT: 8 ALD, 3 CSS, 6 aged 70+
      ...Array.from({ length: 12 }, (_, i): Story => ({ inseeCode: "42218", ald: i < 8, css: i < 3, birthDate: i < 6 ? "1950-06-15" : "1980-06-15" })),
      // not counted: has an MT, aged 14, deceased
      { inseeCode: "42218", hasMt: true },
      { inseeCode: "42218", birthDate: "2012-01-01" },
      // 42095: 3 (too few to show); 42279: 6, none 70+
      ...Array.from({ length: 3 }, (): Story => ({ inseeCode: "42095" })),
      ...Array.from({ length: 6 }, (): Story => ({ inseeCode: "42279", birthDate: "1980-06-15" })),
    ];
    await makeStories(org.id, campaign.id, stories);
    const [deceased] = await makeStories(org.id, campaign.id, [{ inseeCode: "42218" }]);
    await pgPool().query(`UPDATE "Enrolment" SET "dialState" = 'done', "doneReason" = 'deceased' WHERE "id" = $1`, [deceased.enrolmentId]);

    const team = await makeTeam(org.id, { inseeCode: "42218", capacity: 10 });
    const solo = await makeGp(org.id, { inseeCode: "42218", capacity: 5 });
    const closed = await makeGp(org.id, { inseeCode: "42218", acceptsNew: false });
    const member = await makeGp(org.id, { inseeCode: "42218", teamId: team.id, acceptsNew: false, capacity: 0 });
    const leaving = await makeGp(org.id, { inseeCode: "42218", acceptsNew: false, endOfActivity: new Date("2027-06-30") });
    for (const [id, year] of [[solo.id, 1990], [closed.id, 1970], [member.id, null], [leaving.id, 1958]] as const) {
      await pgPool().query(`UPDATE "Gp" SET "birthYear" = $2 WHERE "id" = $1`, [id, year]);
    }

    const d = await territorialDiagnosis(pgPool(), org.id, TODAY);
    const byCode = Object.fromEntries(d.communes.map((c) => [c.inseeCode, c]));
    const labels = (code: string) => Object.fromEntries(Object.entries(byCode[code].patients).map(([k, v]) => [k, v.label]));
    // age70: 6 and 3 → the 3 is hidden and, the total (9) being shown, the 6 is masked too
    expect(labels("42218")).toEqual({ noMt: "12", ald: "8", css: "< 5", age70: "masqué" });
    expect(labels("42095")).toEqual({ noMt: "< 5", ald: "< 5", css: "0", age70: "< 5" });
    // the smallest other cell is masked, or 21 − 12 − 6 would give 42095's 3 away
    expect(labels("42279")).toEqual({ noMt: "masqué", ald: "masqué", css: "0", age70: "0" });
    expect(Object.fromEntries(Object.entries(d.total.patients).map(([k, v]) => [k, v.label]))).toEqual({ noMt: "21", ald: "17", css: "< 5", age70: "9" });

    const { rows } = await pgPool().query(`SELECT "inseeCode", "population" FROM "Commune" WHERE "inseeCode" = ANY($1)`, [["42218", "42095", "42279"]]);
    const pop = Object.fromEntries(rows.map((r) => [r.inseeCode, r.population as number]));
    expect(byCode["42218"].population).toBe(pop["42218"]);
    expect(byCode["42218"].shares.noMt).toBe(Math.round((10_000 * 12) / pop["42218"]) / 100);
    expect(byCode["42095"].shares.noMt).toBeNull();
    expect(d.total.population).toBe(pop["42218"] + pop["42095"] + pop["42279"]);

    expect(byCode["42218"]).toMatchObject({ gps: 4, withRoom: 2, places: 15, endingActivity: 1 });
    expect(byCode["42095"]).toMatchObject({ gps: 0, withRoom: 0, places: 0 });
    expect(d.gpAges.map((a) => a.label)).toEqual(["< 5", "< 5", "0", "< 5", "< 5"]);
  });
});
