// Cells as the import reads them: trimmed, empty as absent, and the product's own Excel-safe exports read back as text.
import { describe, expect, it } from "vitest";
import { cellOf } from "../../../server/imports/parsing/rowCells.ts";

describe("cellOf", () => {
  it("reads a text formula written by the exports (=\"01053\") as its text, and nothing else as a formula", () => {
    expect(cellOf(['="01053"', ' ="+33612345678" ', '=""', '="a ""b"""', "=SUM(A1)", '="x" & "y"'], 0)).toBe("01053");
    expect(cellOf(['="01053"', ' ="+33612345678" '], 1)).toBe("+33612345678");
    expect(cellOf(['=""'], 0)).toBeNull();
    expect(cellOf(['="a ""b"""'], 0)).toBe('a "b"');
    expect(cellOf(["=SUM(A1)"], 0)).toBe("=SUM(A1)");
    expect(cellOf(['="x" & "y"'], 0)).toBe('="x" & "y"');
  });
});
