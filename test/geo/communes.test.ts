import { describe, expect, it } from "vitest";
import { loadCommunes, normaliseInseeCode, resolveCommune } from "../../server/geo/communes.ts";

const code = (q: Parameters<typeof resolveCommune>[0]) => {
  const r = resolveCommune(q);
  if ("error" in r) throw new Error(r.error);
  return r.inseeCode;
};
const error = (q: Parameters<typeof resolveCommune>[0]) => {
  const r = resolveCommune(q);
  if (!("error" in r)) throw new Error(`resolved to ${r.inseeCode}`);
  return r.error;
};

describe("loadCommunes", () => {
  it("holds every commune with a point for nearly all", () => {
    const { current, byCode } = loadCommunes();
    const communes = current.filter((c) => c.kind === "commune");
    expect(communes.length).toBeGreaterThan(34_900);
    expect(current.filter((c) => c.kind === "arrondissement")).toHaveLength(45);
    expect(communes.filter((c) => c.lat === null).map((c) => c.inseeCode).sort()).toEqual(["98411", "98412", "98413", "98414", "98415", "98901"]);
    expect(byCode.get("75115")).toMatchObject({ name: "Paris 15e Arrondissement", kind: "arrondissement", parent: "75056", quality: "exact" });
    expect(byCode.get("2A004")).toMatchObject({ name: "Ajaccio", department: "2A", postalCodes: ["20000", "20090", "20167"] });
  });
});

describe("resolveCommune", () => {
  it("by INSEE code, including Corsica and codes that lost their leading zero", () => {
    expect(code({ inseeCode: "01053" })).toBe("01053");
    expect(code({ inseeCode: "1053" })).toBe("01053");
    expect(code({ inseeCode: "2A004" })).toBe("2A004");
    expect(code({ inseeCode: "2b033" })).toBe("2B033");
    expect(code({ inseeCode: "20004" })).toBe("2A004"); // pre-1976 Corsican code
    expect(code({ inseeCode: "97411" })).toBe("97411");
    expect(normaliseInseeCode("1004")).toBe("01004");
    expect(normaliseInseeCode("2C004")).toBeNull();
  });

  it("takes a commune déléguée or a merged commune's old code to today's commune", () => {
    expect(code({ postalCode: "01300", communeName: "Arbignieu" })).toBe("01015");
    expect(code({ inseeCode: "01126" })).toBe("01033"); // merged into Valserhône
  });

  it("by postal code and name, however the name is spelt", () => {
    expect(code({ postalCode: "42000", communeName: "ST ETIENNE" })).toBe("42218");
    expect(code({ postalCode: "42100", communeName: "SAINT-ÉTIENNE CEDEX 2" })).toBe("42218");
    expect(code({ postalCode: "76600", communeName: "HAVRE (LE)" })).toBe("76351");
    expect(code({ postalCode: "1000", communeName: "bourg en bresse" })).toBe("01053");
    expect(code({ postalCode: "97400", communeName: "ST DENIS" })).toBe("97411");
    expect(code({ postalCode: "20000", communeName: "AJACCIO" })).toBe("2A004");
  });

  it("finds the arrondissement of Paris, Lyon and Marseille", () => {
    expect(code({ postalCode: "75015", communeName: "PARIS" })).toBe("75115");
    expect(code({ postalCode: "75015", communeName: "Paris 15e Arrondissement" })).toBe("75115");
    expect(code({ postalCode: "69003", communeName: "LYON 03" })).toBe("69383");
    expect(code({ postalCode: "13001", communeName: "MARSEILLE 1ER" })).toBe("13201");
  });

  it("gives back the postal code only when it is the commune's: one that is not is said, and not kept", () => {
    expect(resolveCommune({ postalCode: "42100", communeName: "SAINT-ÉTIENNE" })).toMatchObject({ inseeCode: "42218", postalCode: "42100" });
    expect(resolveCommune({ postalCode: "75015", communeName: "PARIS" })).toMatchObject({ inseeCode: "75115", postalCode: "75015" });
    expect(resolveCommune({ postalCode: "1300", communeName: "Arbignieu" })).toMatchObject({ inseeCode: "01015", postalCode: "01300" });
    expect(resolveCommune({ inseeCode: "42218", postalCode: "42000" })).toMatchObject({ postalCode: "42000" });
    expect(resolveCommune({ inseeCode: "42218" })).toMatchObject({ postalCode: null });
    expect(resolveCommune({ postalCode: "42", communeName: "Firminy" })).toMatchObject({
      inseeCode: "42095", postalCode: null, remark: "code postal « 42 » : code postal invalide (5 chiffres attendus) ; commune retenue par son nom, code postal ignoré",
    });
    // an INSEE code in the postal code column: the commune by its name within the department, the code not kept
    expect(resolveCommune({ postalCode: "97411", communeName: "Saint-Denis" })).toMatchObject({
      inseeCode: "97411", postalCode: null, remark: "code postal « 97411 » : pas un code postal de Saint-Denis (97411) ; commune retenue par son nom, code postal ignoré",
    });
    expect(resolveCommune({ inseeCode: "97101", postalCode: "97100" })).toMatchObject({
      postalCode: null, remark: "code postal 97100 : ce n'est pas un code postal de Les Abymes (97101) ; commune du code INSEE retenue, code postal ignoré",
    });
  });

  it("resolves a postal code alone when it has one commune", () => {
    expect(code({ postalCode: "97133" })).toBe("97701");
  });

  it("takes the one commune of a postal code given with a locality's name (La Poste's), with a remark", () => {
    for (const [postalCode, communeName, inseeCode] of [["97490", "STE CLOTILDE", "97411"], ["13290", "LES MILLES", "13001"], ["97139", "ABYMES", "97101"]]) {
      const found = resolveCommune({ postalCode, communeName });
      expect(found, communeName).toMatchObject({ inseeCode, remark: expect.stringMatching(new RegExp(`^commune « ${communeName} » : pas une commune du code postal ${postalCode} \\(une localité \\?\\) ; seule commune`)) });
    }
    // The name of another commune is a contradiction, not a locality: said, not guessed.
    expect(error({ postalCode: "42000", communeName: "Paris" })).toBe("commune introuvable : « Paris » pour le code postal 42000 (communes de ce code postal : Saint-Étienne (42218))");
  });

  it("says when the name contradicts the INSEE code (the code is kept)", () => {
    expect(resolveCommune({ inseeCode: "42218", postalCode: "42000", communeName: "FIRMINY" })).toMatchObject({
      inseeCode: "42218", remark: "commune « FIRMINY » : ce n'est pas le nom de la commune du code INSEE 42218 (Saint-Étienne) ; commune du code INSEE retenue",
    });
    for (const communeName of ["ST ETIENNE", "Saint-Étienne", "SAINT ETIENNE CEDEX 2"]) expect(resolveCommune({ inseeCode: "42218", communeName }), communeName).not.toHaveProperty("remark");
    expect(resolveCommune({ inseeCode: "75056", communeName: "PARIS 11" })).not.toHaveProperty("remark");
    expect(resolveCommune({ inseeCode: "75115", communeName: "PARIS" })).not.toHaveProperty("remark"); // the arrondissement's city
  });

  it("reports ambiguity with the candidates, never guesses", () => {
    expect(error({ postalCode: "01300" })).toMatch(
      /^commune ambiguë : code postal 01300 correspond à \d+ communes : Ambléon \(01006\), .* et \d+ autres ; précisez le code INSEE$/,
    );
    expect(error({ communeName: "Saint-Denis" })).toBe(
      "commune ambiguë : « Saint-Denis » correspond à 4 communes : Saint-Denis (11339), Saint-Denis (30247), Saint-Denis (93066), Saint-Denis (97411) ; précisez le code INSEE",
    );
  });

  it("reports unknown places in French", () => {
    expect(error({ inseeCode: "99999" })).toBe("code INSEE inconnu : « 99999 »");
    expect(error({ inseeCode: "75015" })).toBe("code INSEE inconnu : « 75015 » (c'est un code postal ?)");
    expect(error({ inseeCode: "ABC" })).toBe("code INSEE invalide : « ABC » (5 caractères attendus, 2A/2B pour la Corse)");
    expect(error({ postalCode: "00000" })).toBe("code postal inconnu : « 00000 »");
    expect(error({ postalCode: "01000", communeName: "Atlantide" })).toBe(
      "commune introuvable : « Atlantide » pour le code postal 01000 (communes de ce code postal : Bourg-en-Bresse (01053), Saint-Denis-lès-Bourg (01344))",
    );
  });

  it("falls back to postal code and name when the INSEE code is unknown", () => {
    expect(code({ inseeCode: "75015", postalCode: "75015", communeName: "Paris" })).toBe("75115");
  });
});
