import { describe, expect, it } from "vitest";
import { normaliseName, personKey } from "../../../server/imports/parsing/normaliseName.ts";

describe("normaliseName", () => {
  it("folds case, accents, ligatures, apostrophes, hyphens and particles", () => {
    expect(normaliseName("d'Artagnan-Dupré")).toBe("DARTAGNAN DUPRE");
    expect(normaliseName("D ARTAGNAN DUPRE")).toBe("DARTAGNAN DUPRE");
    expect(normaliseName("d’Artagnan  Dupré")).toBe("DARTAGNAN DUPRE");
    expect(normaliseName("de La Fontaine")).toBe("DELAFONTAINE");
    expect(normaliseName("DELAFONTAINE")).toBe("DELAFONTAINE");
    expect(normaliseName("Le Gall")).toBe("LEGALL");
    expect(normaliseName("CŒUR")).toBe("COEUR");
    expect(normaliseName("Lœtitia")).toBe("LOETITIA");
    expect(normaliseName("Marie-Thérèse")).toBe("MARIE THERESE");
    expect(normaliseName("  ")).toBe("");
  });
});

describe("personKey", () => {
  it("merges the same person spelt differently", () => {
    const k = personKey("d'Artagnan-Dupré", "Jean-Pierre", "1950-03-12");
    expect(personKey("DARTAGNAN DUPRE", "JEAN PIERRE", "1950-03-12")).toBe(k);
    expect(personKey("D'ARTAGNAN DUPRÉ", "jean-pierre", "1950-03-12")).toBe(k);
    expect(k).toBe("DARTAGNANDUPRE|JEANPIERRE|1950-03-12");
  });

  it("keeps apart different first names or birth dates", () => {
    const k = personKey("MARTIN", "Marie", "1950-03-12");
    expect(personKey("MARTIN", "Marie-Claire", "1950-03-12")).not.toBe(k);
    expect(personKey("MARTIN", "Marie", "1950-03-13")).not.toBe(k);
  });
});
