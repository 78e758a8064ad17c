// CSV exports open in Excel: a text that Excel would run as a formula is made inert; numbers and phones stay as they are.
import { describe, expect, it } from "vitest";
import { inertCell } from "../../server/imports/frenchCsv.ts";

describe("inertCell", () => {
  it("puts an apostrophe before what Excel would run, and nothing else", () => {
    expect(inertCell('=HYPERLINK("http://x.fr","clic")')).toBe(`'=HYPERLINK("http://x.fr","clic")`);
    expect(inertCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(inertCell("+cmd|' /C calc'!A0")).toBe("'+cmd|' /C calc'!A0");
    expect(inertCell("-2+3")).toBe("'-2+3");
    expect(inertCell("\t=1")).toBe("'\t=1");
    for (const plain of ["+33612345678", "-2", "+33 6 12 34 56 78", "DUPONT", "Jean-Marc", "12,5", ""]) expect(inertCell(plain)).toBe(plain);
  });
});
