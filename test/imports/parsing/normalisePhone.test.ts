import { describe, expect, it } from "vitest";
import { normalisePhones } from "../../../server/imports/parsing/normalisePhone.ts";

const one = (cell: string) => {
  const r = normalisePhones(cell);
  expect(r.rejected).toEqual([]);
  expect(r.phones).toHaveLength(1);
  return r.phones[0];
};

describe("normalisePhones", () => {
  it.each([
    "06 12 34 56 78", "06.12.34.56.78", "06-12-34-56-78", "0612345678", "+33 6 12 34 56 78", "+33 (0)6 12 34 56 78",
    "+330612345678", "0033 6 12 34 56 78", "0033612345678", "33612345678", "6 12 34 56 78", "612345678",
  ])("reads %s as +33612345678, mobile", (cell) => {
    expect(one(cell)).toEqual({ e164: "+33612345678", type: "mobile", country: "FR" });
  });

  it("types fixed, VoIP and other numbers", () => {
    expect(one("01 45 67 89 10")).toEqual({ e164: "+33145678910", type: "fixed", country: "FR" });
    expect(one("09 51 23 45 67").type).toBe("voip");
    expect(one("0800 12 34 56").type).toBe("other");
  });

  it.each([
    ["0692 12 34 56", "+262692123456", "mobile", "RE"],
    ["0262 21 23 45", "+262262212345", "fixed", "RE"],
    ["+33 692 12 34 56", "+262692123456", "mobile", "RE"],
    ["00262 692 12 34 56", "+262692123456", "mobile", "RE"],
    ["262692123456", "+262692123456", "mobile", "RE"],
    ["0269 61 12 34", "+262269611234", "fixed", "YT"],
    ["0639 01 23 45", "+262639012345", "mobile", "YT"],
    ["0690 12 34 56", "+590690123456", "mobile", "GP"],
    ["0590 82 12 34", "+590590821234", "fixed", "GP"],
    ["0590 27 12 34", "+590590271234", "fixed", "BL"],
    ["0596 60 12 34", "+596596601234", "fixed", "MQ"],
    ["0696 12 34 56", "+596696123456", "mobile", "MQ"],
    ["0594 30 12 34", "+594594301234", "fixed", "GF"],
    ["0694 20 12 34", "+594694201234", "mobile", "GF"],
    ["+508 41 12 34", "+508411234", "fixed", "PM"],
  ])("routes overseas %s to %s (%s, %s)", (cell, e164, type, country) => {
    expect(one(cell)).toEqual({ e164, type, country });
  });

  it("keeps a foreign number (frontaliers)", () => {
    expect(one("+32 470 12 34 56")).toEqual({ e164: "+32470123456", type: "mobile", country: "BE" });
  });

  it.each([
    "06 12 34 56 78 / 01 45 67 89 10", "06 12 34 56 78 ou 01 45 67 89 10", "06 12 34 56 78;01 45 67 89 10",
    "06 12 34 56 78, 01 45 67 89 10", "06 12 34 56 78 | 01 45 67 89 10", "0612345678 0145678910",
    "06 12 34 56 78 (portable) / 01 45 67 89 10 (dom.)",
  ])("splits two numbers in one cell: %s", (cell) => {
    expect(normalisePhones(cell)).toEqual({
      phones: [
        { e164: "+33612345678", type: "mobile", country: "FR" },
        { e164: "+33145678910", type: "fixed", country: "FR" },
      ],
      rejected: [],
    });
  });

  it("reads one number whose groups are separated by slashes, and three numbers glued by spaces", () => {
    expect(normalisePhones("06/12/34/56/78")).toEqual({ phones: [{ e164: "+33612345678", type: "mobile", country: "FR" }], rejected: [] });
    expect(normalisePhones("06/12/34/56/78 ou 01/45/67/89/10").phones.map((p) => p.e164)).toEqual(["+33612345678", "+33145678910"]);
    expect(normalisePhones("06 12 00 01 12 06 12 00 01 13 06 12 00 01 14").phones.map((p) => p.e164)).toEqual(["+33612000112", "+33612000113", "+33612000114"]);
    expect(normalisePhones("0612000112 0612000113 0145678910").phones.map((p) => p.e164)).toEqual(["+33612000112", "+33612000113", "+33145678910"]);
    // a group across two numbers: which digits are whose is not guessed
    expect(normalisePhones("061200011 20612000113")).toEqual({ phones: [], rejected: [{ raw: "061200011 20612000113", reason: "numéro invalide : « 061200011 20612000113 »" }] });
  });

  it("drops a repeated number", () => {
    expect(normalisePhones("06 12 34 56 78 / +33612345678").phones).toHaveLength(1);
  });

  it("rejects garbage with a French reason quoting the text", () => {
    expect(normalisePhones("06 12 34")).toEqual({ phones: [], rejected: [{ raw: "06 12 34", reason: "numéro invalide : « 06 12 34 »" }] });
    expect(normalisePhones("n° à demander").rejected).toEqual([{ raw: "n° à demander", reason: "numéro invalide : « n° à demander »" }]);
    expect(normalisePhones("00 00 00 00 00").rejected).toHaveLength(1);
    expect(normalisePhones("06 12 34 56 78 99 99").rejected).toHaveLength(1);
  });

  it("keeps the valid number and rejects the bad one of the same cell", () => {
    expect(normalisePhones("06 12 34 / 06 12 34 56 78")).toEqual({
      phones: [{ e164: "+33612345678", type: "mobile", country: "FR" }],
      rejected: [{ raw: "06 12 34", reason: "numéro invalide : « 06 12 34 »" }],
    });
  });

  it("treats empty cells and 'no number' markers as nothing to report", () => {
    for (const cell of ["", "  ", "NC", "N/A", "inconnu", "Néant", "-"]) {
      expect(normalisePhones(cell)).toEqual({ phones: [], rejected: [] });
    }
  });
});
