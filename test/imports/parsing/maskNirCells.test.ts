import { describe, expect, it } from "vitest";
import { maskNir, maskNirCells } from "../../../server/imports/maskNirCells.ts";
import { NIR_CORSE, NIR_PARIS } from "./makeListing.ts";

describe("maskNirCells", () => {
  it("keeps the first character and the length of the mapped NIR, nothing else, valid or not", () => {
    expect(maskNir(NIR_PARIS)).toBe("1••••••••••••••");
    expect(maskNir("1 50 03 75 115 042 82")).toBe("1••••••••••••••");
    expect(maskNirCells(["PETIT", "06 12 34", "1500375115042"], { lastName: 0, phones: [1], nir: 2 })).toEqual(["PETIT", "06 12 34", "1••••••••••••"]);
    expect(maskNirCells(["PETIT", " inconnu "], { lastName: 0, nir: 1 })).toEqual(["PETIT", "i••••••"]);
    expect(maskNirCells(["PETIT", ""], { lastName: 0, nir: 1 })).toEqual(["PETIT", ""]);
  });

  it("masks a NIR-shaped cell of a column mapped to nothing, never a mapped phone", () => {
    expect(maskNirCells(["PETIT", NIR_CORSE, "0033612345678", "0033612345678"], { lastName: 0, phones: [2] })).toEqual(["PETIT", "2••••••••••••••", "0033612345678", "0033612345678"]);
    expect(maskNirCells(["10000000017", "75115"], null)).toEqual(["10000000017", "75115"]); // an RPPS, a commune code
  });
});
