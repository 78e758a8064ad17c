// Two spellings of one name or address: the same once folded for matching keeps the richer, anything else is news.
import { describe, expect, it } from "vitest";
import { chooseSpelling, spellingKey } from "../../server/imports/chooseSpelling.ts";

describe("chooseSpelling", () => {
  it("keeps the stored spelling against a poorer one of the same, and takes a richer one", () => {
    expect(chooseSpelling("Élodie", "ELODIE")).toBe("Élodie");
    expect(chooseSpelling("ELODIE", "Élodie")).toBe("Élodie");
    expect(chooseSpelling("Saint-Étienne", "ST ETIENNE")).toBe("Saint-Étienne");
    expect(chooseSpelling("ST ETIENNE", "Saint-Étienne")).toBe("Saint-Étienne");
    expect(chooseSpelling("D'ARTAGNAN", "DARTAGNAN")).toBe("D'ARTAGNAN");
    expect(chooseSpelling("de La Fontaine", "DELAFONTAINE")).toBe("de La Fontaine");
    expect(chooseSpelling("CŒUR", "Coeur")).toBe("CŒUR"); // the ligature says more than the case
    expect(chooseSpelling("Élodie", "élodie")).toBe("Élodie"); // a tie: the stored one
  });

  it("takes what is really different, and never lets nothing erase", () => {
    expect(chooseSpelling("Élodie", "Mélodie")).toBe("Mélodie");
    expect(chooseSpelling("3 rue de Saint-Étienne", "5 AVENUE FOCH")).toBe("5 AVENUE FOCH");
    expect(chooseSpelling("Élodie", null)).toBe("Élodie");
    expect(chooseSpelling(null, "ELODIE")).toBe("ELODIE");
  });

  it("reads « St »/« Ste » as a word only", () => {
    expect(spellingKey("3 rue Ste-Anne")).toBe(spellingKey("3 RUE SAINTE ANNE"));
    expect(spellingKey("St. Étienne")).toBe(spellingKey("Saint Etienne"));
    expect(spellingKey("Estelle")).not.toBe(spellingKey("Esaintelle"));
    expect(spellingKey("Sté")).toBe("STE");
  });
});
