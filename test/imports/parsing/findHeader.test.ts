import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { findHeader, findSheetWithHeader, HEADER_SEARCH_ROWS } from "../../../server/imports/parsing/findHeader.ts";
import type { RawRow } from "../../../server/imports/parsing/readRows.ts";
import { readListingHead } from "../../../server/imports/parsing/readListingHead.ts";

const rows = (...cells: string[][]): RawRow[] => cells.map((c, i) => ({ line: i + 1, cells: c }));
const HEADER = ["NOM", "PRENOM", "DATE_NAISSANCE", "TEL_PORTABLE", "CODE_INSEE"];
const DUPONT = ["DUPONT", "Marie", "12/12/1950", "06 12 34 56 78", "01053"];

describe("findHeader", () => {
  it("is the first row when it names the columns (as before)", () => {
    expect(findHeader(rows(HEADER, DUPONT), "patient")).toEqual({ index: 0, recognised: 5 });
  });

  it("is found below a title, a date and blank rows", () => {
    const found = findHeader(rows(["Extraction CPAM du 01/12/2026"], ["Patients ALD sans MT — Département 69"], [""], HEADER, DUPONT), "patient");
    expect(found).toEqual({ index: 3, recognised: 5 });
  });

  it("takes the row naming the most columns, the first of equals; a title of one known word is not a header", () => {
    expect(findHeader(rows(["ALD"], ["Nom", "Prénom"], HEADER, HEADER, DUPONT), "patient")).toEqual({ index: 2, recognised: 5 });
    // a notice's line names a column and explains it: one field, not a header
    expect(findHeader(rows(["NOM", "Nom d'usage du patient"], ["DATE_NAISSANCE", "jj/mm/aaaa"]), "patient")).toBeNull();
  });

  it("is null when no row names two known columns (the coordinator maps the first row)", () => {
    expect(findHeader(rows(["COL_A", "COL_B", "COL_C"], ["DUPONT", "Marie", "0612345678"]), "patient")).toBeNull();
  });

  it("looks at the first rows only", () => {
    const title = Array.from({ length: HEADER_SEARCH_ROWS }, (_, i) => [`ligne de notice ${i + 1}`]);
    expect(findHeader(rows(...title, HEADER), "patient")).toBeNull();
    expect(findHeader(rows(...title.slice(1), HEADER), "patient")).toEqual({ index: HEADER_SEARCH_ROWS - 1, recognised: 5 });
  });

  it("knows a GP roster's header", () => {
    expect(findHeader(rows(["Annuaire des médecins"], ["RPPS", "NOM", "CODE_INSEE", "CAPACITE"]), "gp")).toMatchObject({ index: 1 });
  });
});

describe("findSheetWithHeader", () => {
  const sheet = (index: number, name: string) => ({ index, name });
  async function* of(list: RawRow[]) {
    yield* list;
  }

  it("reads a sheet without header to its end, then the next; stops at the first with a header", async () => {
    const notice = sheet(0, "Notice");
    const listing = sheet(1, "Patients");
    const list: RawRow[] = [
      ...Array.from({ length: 40 }, (_, i) => ({ line: i + 1, cells: [`notice ${i}`], sheet: notice })),
      { line: 1, cells: ["Titre"], sheet: listing },
      { line: 2, cells: HEADER, sheet: listing },
      { line: 3, cells: DUPONT, sheet: listing },
    ];
    const { heads, next } = await findSheetWithHeader(of(list), "patient");
    expect(heads.map((h) => [h.sheet?.name, h.rows.length, h.header, h.ended])).toEqual([
      ["Notice", HEADER_SEARCH_ROWS, null, false],
      ["Patients", 3, { index: 1, recognised: 5 }, true],
    ]);
    expect(next).toBeNull();
  });

  it("a CSV is one listing: without header in its first rows, the rest is not read", async () => {
    const list = rows(...Array.from({ length: 40 }, (_, i) => [`x${i}`, "y"]));
    const { heads, next } = await findSheetWithHeader(of(list), "patient");
    expect(heads).toHaveLength(1);
    expect(next?.line).toBe(HEADER_SEARCH_ROWS + 1);
  });
});

describe("readListingHead", () => {
  it("a header low in the first rows: the preview's rows are read on", async () => {
    const text = [...Array.from({ length: 27 }, (_, i) => `Notice ligne ${i + 1}`), HEADER.join(";"), ...Array.from({ length: 10 }, () => DUPONT.join(";"))].join("\r\n");
    const head = await readListingHead(Readable.from([Buffer.from(text)]), "patient", 5);
    expect(head.header?.line).toBe(28);
    expect(head.above).toHaveLength(27);
    expect(head.below.map((r) => r.line)).toEqual([29, 30, 31, 32, 33, 34]);
    expect(head.ended).toBe(false);
  });

  it("the whole listing in its head: ended", async () => {
    const head = await readListingHead(Readable.from([Buffer.from(`Titre\r\n\r\n${HEADER.join(";")}\r\n${DUPONT.join(";")}\r\n`)]), "patient", 5);
    expect(head).toMatchObject({ header: { line: 3 }, recognised: 5, ended: true, readError: null, sheet: null });
    expect(head.above.map((r) => r.line)).toEqual([1, 2]);
    expect(head.below.map((r) => r.line)).toEqual([4]);
  });
});
