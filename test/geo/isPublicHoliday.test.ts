import { describe, expect, it } from "vitest";
import { isPublicHoliday } from "../../server/geo/isPublicHoliday.ts";

describe("isPublicHoliday", () => {
  it("knows the national holidays, Lundi de Pentecôte included", () => {
    expect(isPublicHoliday("2026-07-14", "75115")).toBe(true);
    expect(isPublicHoliday("2026-05-25", "01053")).toBe(true);
    expect(isPublicHoliday("2026-07-15", "75115")).toBe(false);
  });

  it("adds Vendredi saint and 26 December in Alsace-Moselle only", () => {
    for (const insee of ["57463", "67482", "68224"]) {
      expect(isPublicHoliday("2026-04-03", insee)).toBe(true);
      expect(isPublicHoliday("2026-12-26", insee)).toBe(true);
    }
    expect(isPublicHoliday("2026-04-03", "75115")).toBe(false);
    expect(isPublicHoliday("2026-12-26", "75115")).toBe(false);
  });

  it("adds the abolition of slavery day of each overseas territory", () => {
    expect(isPublicHoliday("2026-05-27", "97101")).toBe(true); // Guadeloupe
    expect(isPublicHoliday("2026-05-22", "97209")).toBe(true); // Martinique
    expect(isPublicHoliday("2026-06-10", "97302")).toBe(true); // Guyane
    expect(isPublicHoliday("2026-12-20", "97411")).toBe(true); // La Réunion
    expect(isPublicHoliday("2026-04-27", "97611")).toBe(true); // Mayotte
    expect(isPublicHoliday("2026-10-09", "97701")).toBe(true); // Saint-Barthélemy
    expect(isPublicHoliday("2026-05-28", "97801")).toBe(true); // Saint-Martin (28 May since 2018)
    expect(isPublicHoliday("2026-05-27", "97801")).toBe(false);
    expect(isPublicHoliday("2026-12-20", "75115")).toBe(false);
  });

  it("refuses a date that is not yyyy-mm-dd", () => {
    expect(() => isPublicHoliday("14/07/2026", "75115")).toThrow(/date locale invalide/);
  });
});
