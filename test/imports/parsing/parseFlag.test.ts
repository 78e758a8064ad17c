import { describe, expect, it } from "vitest";
import { parseFlag } from "../../../server/imports/parsing/parseFlag.ts";

describe("parseFlag", () => {
  it.each(["O", "o", "Oui", "OUI", "1", "X", "x", "TRUE", "true", "VRAI", "Vrai", "Y", "yes", " oui "])("%s is true", (v) => {
    expect(parseFlag(v)).toEqual({ ok: true, value: true });
  });
  it.each(["N", "Non", "NON", "0", "FALSE", "FAUX", "no", "n"])("%s is false", (v) => {
    expect(parseFlag(v)).toEqual({ ok: true, value: false });
  });
  it.each(["", "  ", "NC", "-", "?"])("%j says nothing", (v) => {
    expect(parseFlag(v)).toEqual({ ok: true, value: null });
  });
  it("rejects garbage with a French reason", () => {
    expect(parseFlag("peut-être")).toEqual({
      ok: false,
      reason: "valeur non reconnue : « peut-être » (attendu Oui/Non, O/N, 1/0, X ou vide)",
    });
  });
});
