import { describe, expect, it } from "vitest";
import { validateNir } from "../../../server/imports/parsing/validateNir.ts";
import { validateRpps } from "../../../server/imports/parsing/validateRpps.ts";

describe("validateNir", () => {
  it("accepts a NIR whose key is 97 − (number mod 97)", () => {
    expect(validateNir("1 50 03 75 115 042 82")).toEqual({ ok: true, nir: "150037511504282" });
  });
  it("handles Corsica: 2A counts as 19, 2B as 18", () => {
    expect(validateNir("2 52 04 2A 004 123 55")).toEqual({ ok: true, nir: "252042A00412355" });
    expect(validateNir("148072b03300710")).toEqual({ ok: true, nir: "148072B03300710" });
    expect(validateNir("252042B00412355")).toEqual({ ok: false, reason: "NIR invalide (clé de contrôle incorrecte)" });
  });
  it("explains what is wrong", () => {
    expect(validateNir("150037511504283")).toEqual({ ok: false, reason: "NIR invalide (clé de contrôle incorrecte)" });
    expect(validateNir("1500375115042")).toEqual({ ok: false, reason: "NIR incomplet (clé manquante)" });
    expect(validateNir("12345")).toEqual({ ok: false, reason: "NIR invalide (15 caractères attendus)" });
  });
});

describe("validateRpps", () => {
  it("accepts 11 digits with a Luhn key (real RPPS numbers of the public Annuaire Santé pass it)", () => {
    for (const rpps of ["10001045367", "10104335319", "10005814339", "10100224947", "10000000017"]) {
      expect(validateRpps(rpps)).toEqual({ ok: true, rpps });
    }
  });
  it("accepts the 8 + RPPS national identifier", () => {
    expect(validateRpps("810001045367")).toEqual({ ok: true, rpps: "10001045367" });
  });
  it("rejects a wrong key or length in French", () => {
    expect(validateRpps("10001045368")).toEqual({ ok: false, reason: "RPPS invalide : « 10001045368 » (clé de contrôle incorrecte)" });
    expect(validateRpps("1000104536")).toEqual({ ok: false, reason: "RPPS invalide : « 1000104536 » (11 chiffres attendus)" });
    expect(validateRpps("")).toEqual({ ok: false, reason: "RPPS manquant" });
  });
});
