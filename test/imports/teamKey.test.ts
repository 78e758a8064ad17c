// The names of one MSP team, folded to one key.
import { describe, expect, it } from "vitest";
import { teamKey } from "../../server/imports/resolveTeams.ts";

describe("teamKey", () => {
  it("folds case, accents, punctuation, the « MSP » / « maison de santé » words and articles", () => {
    const key = teamKey("MSP des Trois Rivières");
    for (const name of ["MSP Trois-Rivières", "msp des trois rivieres", "M.S.P. des Trois Rivières", "Maison de santé des Trois-Rivières",
      "Maison de Santé Pluriprofessionnelle des Trois Rivières", "Trois Rivières (MSP)", "MSP les Trois Rivières"]) expect(teamKey(name)).toBe(key);
    expect(teamKey("MSP de l'Île")).toBe(teamKey("msp ile"));
    expect(teamKey("MSP St-Jean")).toBe(teamKey("MSP Saint Jean"));
  });

  it("keeps apart what names another team, or another kind of practice", () => {
    expect(teamKey("MSP du Pilat")).not.toBe(teamKey("MSP des Trois Rivières"));
    expect(teamKey("Centre de santé du Pilat")).not.toBe(teamKey("MSP du Pilat"));
    expect(teamKey("MSP")).toBe("msp");
    expect(teamKey("MSPL")).toBe("mspl"); // a word that only starts like « MSP »
  });
});
