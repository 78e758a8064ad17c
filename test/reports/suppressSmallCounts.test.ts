// Statistical secrecy: no count from 1 to 4 can be read, nor worked out from a total and the cells shown.
import { describe, expect, it } from "vitest";
import { suppressGroup, suppressSmallCounts } from "../../server/reports/suppressSmallCounts.ts";

const labels = (values: number[]) => {
  const g = suppressGroup(values);
  return [...g.cells.map((c) => c.label), g.total.label];
};

describe("suppressGroup", () => {
  it("shows 0 and counts of 5 or more, hides 1 to 4", () => {
    expect(labels([0, 12, 7])).toEqual(["0", "12", "7", "19"]);
    expect(labels([3, 0, 0])).toEqual(["< 5", "0", "0", "< 5"]);
  });

  it("masks one more cell when the total would give a hidden one away", () => {
    expect(labels([3, 12, 7])).toEqual(["< 5", "12", "masqué", "22"]); // one hidden: 22 − 12 − 7 would say 3
    expect(labels([4, 4, 12, 30])).toEqual(["< 5", "< 5", "masqué", "30", "50"]); // 50 − 42 = 8 = 4 + 4
    expect(labels([1, 1, 9])).toEqual(["< 5", "< 5", "masqué", "11"]); // 11 − 9 = 2 = 1 + 1
    expect(labels([2, 3, 9])).toEqual(["< 5", "< 5", "9", "14"]); // 5 over two cells of 1 to 4: 1+4, 2+3, 3+2, 4+1
    expect(labels([4, 4])).toEqual(["< 5", "< 5", "masqué"]); // nothing else to mask: the total
  });

  it("works column by column on a table by commune", () => {
    const { rows, totals } = suppressSmallCounts([{ a: 3, b: 10 }, { a: 12, b: 11 }, { a: 8, b: 0 }], ["a", "b"]);
    expect(rows.map((r) => [r.a.label, r.b.label])).toEqual([["< 5", "10"], ["12", "11"], ["masqué", "0"]]);
    expect([totals.a.label, totals.b.label]).toEqual(["23", "21"]);
  });
});
