import { rmSync } from "node:fs";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { readRows, type ListingFormat, type RawRow } from "../../../server/imports/parsing/readRows.ts";
import { makeTempDir, writeCpamListing, writeCptsListing, writeMsaListing, writeXlsxListing } from "./makeListing.ts";

async function collect(input: string | Readable, onFormat?: (f: ListingFormat) => void): Promise<RawRow[]> {
  const rows: RawRow[] = [];
  for await (const row of readRows(input, { onFormat })) rows.push(row);
  return rows;
}
const at = (rows: RawRow[], line: number) => rows.find((r) => r.line === line);

describe("readRows", () => {
  const dir = makeTempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads a CPAM listing (;, Windows-1252, CRLF) with exact line numbers, Œ œ ’ intact", async () => {
    const listing = writeCpamListing(dir);
    let format: ListingFormat | undefined;
    const rows = await collect(listing.path, (f) => (format = f));
    expect(format).toEqual({ kind: "csv", encoding: "windows-1252", encodingConfident: true, delimiter: ";", delimiterConfident: true });
    expect(rows[0].line).toBe(1);
    expect(rows[0].cells[0]).toBe("IDENTIFIANT");
    const coeur = at(rows, listing.lines.coeur)!;
    expect(coeur.cells.slice(1, 3)).toEqual(["CŒUR", "Lœtitia"]);
    expect(coeur.cells[5]).toBe("12 rue de l’Église");
    // The quoted address holds the delimiter and two CRLF: the next record is 3 lines further.
    const multi = at(rows, listing.lines.multiline)!;
    expect(multi.cells[5]).toBe("Résidence Les Pins; bât. B\r\n3 allée des Chênes\r\n(2e étage)");
    expect(listing.lines.afterMultiline).toBe(listing.lines.multiline + 3);
    expect(at(rows, listing.lines.afterMultiline)!.cells[1]).toBe("MARTIN");
    expect(at(rows, listing.lines.footer)!.cells).toEqual(["TOTAL", "1234"]);
    expect(at(rows, listing.lines.emptyLine)!.cells).toEqual([""]);
    // Every record, in order, none missing.
    expect(rows.map((r) => r.line)).toEqual([1, ...Object.values(listing.lines)]);
    expect(rows.every((r) => r.error === undefined)).toBe(true);
  });

  it("reads an MSA listing (, UTF-8 with BOM): the BOM is not part of the first header", async () => {
    const listing = writeMsaListing(dir);
    let format: ListingFormat | undefined;
    const rows = await collect(listing.path, (f) => (format = f));
    expect(format).toMatchObject({ encoding: "utf-8", delimiter: "," });
    expect(rows[0].cells[0]).toBe("num_assure");
    expect(rows[0].cells[9]).toBe("N° sécu");
    expect(at(rows, listing.lines.lost00)!.cells[1]).toBe("DUPONT, dit Jojo");
    expect(at(rows, listing.lines.double00)!.cells[2]).toBe("Œdipe");
    expect(rows.map((r) => r.line)).toEqual([1, ...Object.values(listing.lines)]);
  });

  it("reads a CPTS listing (tab): quoted ; and tab stay in their cell", async () => {
    const listing = writeCptsListing(dir);
    const rows = await collect(listing.path);
    expect(at(rows, listing.lines.semicolonInQuotes)!.cells[3]).toBe("06 33 33 33 33;06 44 44 44 44");
    expect(at(rows, listing.lines.tabInQuotes)!.cells[9]).toBe("commentaire\tavec tabulation");
    expect(at(rows, listing.lines.footer)!.cells).toEqual(["Total général", "7"]);
    expect(rows.map((r) => r.line)).toEqual([1, ...Object.values(listing.lines)]);
  });

  it("reads from a Readable cut in tiny chunks as well as from a path", async () => {
    const listing = writeCpamListing(dir);
    const { readFileSync } = await import("node:fs");
    const bytes = readFileSync(listing.path);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const fromStream = await collect(Readable.from(chunks));
    expect(fromStream).toEqual(await collect(listing.path));
  });

  it("decides between UTF-8 and Windows-1252 at the first accent, even after the sniffed head", async () => {
    const ascii = "NOM;PRENOM\r\n" + "DUPONT;JEAN\r\n".repeat(6000); // > 64 KB of ASCII
    const late = Buffer.concat([Buffer.from(ascii), Buffer.from("L\xc9A;CHLO\xc9\r\n", "latin1")]);
    const rows = await collect(Readable.from([late]));
    expect(rows.at(-1)!.cells).toEqual(["LÉA", "CHLOÉ"]);
    expect(rows.at(-1)!.line).toBe(6002);
    const lateUtf8 = Buffer.concat([Buffer.from(ascii), Buffer.from("LÉA;ŒUF\r\n", "utf8")]);
    expect((await collect(Readable.from([lateUtf8]))).at(-1)!.cells).toEqual(["LÉA", "ŒUF"]);
  });

  it("skips blank lines before the header but counts them", async () => {
    const rows = await collect(Readable.from([Buffer.from("\r\n;;\r\nNOM;PRENOM\r\nA;B")]));
    expect(rows).toEqual([
      { line: 3, cells: ["NOM", "PRENOM"] },
      { line: 4, cells: ["A", "B"] },
    ]);
  });

  it("reports an unclosed quote with its line and stops", async () => {
    const rows = await collect(Readable.from([Buffer.from('NOM;PRENOM\nA;B\n"C;D\nE;F\n')]));
    expect(rows.slice(0, 2).map((r) => r.line)).toEqual([1, 2]);
    expect(rows[2].line).toBe(3);
    expect(rows[2].error).toMatch(/^lecture interrompue à la ligne 3 : un guillemet ouvert n'est jamais refermé/);
  });

  it("refuses an old .xls with a French message", async () => {
    const rows = await collect(Readable.from([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0])]));
    expect(rows).toEqual([{ line: 1, cells: [], error: expect.stringMatching(/\(\.xls\) ou protégé par mot de passe : non pris en charge/) }]);
  });

  it("yields nothing for an empty file", async () => {
    expect(await collect(Readable.from([Buffer.alloc(0)]))).toEqual([]);
  });

  it("reads the first sheet of an XLSX: Excel row numbers, ISO dates, numbers as text", async () => {
    const listing = await writeXlsxListing(dir);
    let format: ListingFormat | undefined;
    const rows = await collect(listing.path, (f) => (format = f));
    expect(format).toEqual({ kind: "xlsx" });
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3, 4, 6, 7]);
    expect(rows[0].cells).toEqual(["IDENTIFIANT", "NOM", "PRENOM", "DATE_NAISSANCE", "TEL_PORTABLE", "CODE_INSEE", "ALD", "CSS", "NIR"]);
    expect(at(rows, listing.lines.withDate)!.cells).toEqual(["X001", "LEFÈVRE", "Œlia", "1950-03-12", "612345678", "1053", "TRUE", "FALSE", "150037511504282"]);
    const rich = at(rows, listing.lines.serialAndRichText)!;
    expect(rich.cells[1]).toBe("VAN DAMME");
    expect(rich.cells[3]).toBe("18334"); // a bare serial: parseDate reads it
    expect(at(rows, listing.lines.formula)!.cells[3]).toBe("1951-04-01");
    expect(at(rows, listing.lines.footer)!.cells).toEqual(["TOTAL", "4"]);
  });

  it("reports a truncated XLSX instead of throwing", async () => {
    const listing = await writeXlsxListing(dir);
    const { readFileSync } = await import("node:fs");
    const bytes = readFileSync(listing.path);
    const rows = await collect(Readable.from([bytes.subarray(0, Math.floor(bytes.length / 2))]));
    expect(rows).toEqual([{ line: 1, cells: [], error: expect.stringMatching(/^lecture du classeur Excel impossible : archive XLSX incomplète ou corrompue/) }]);
  });
});

describe("readRows: Excel's « sep=… » first line", () => {
  async function read(text: string | Buffer, options: { delimiter?: ";" | "," } = {}) {
    let format: ListingFormat | undefined;
    const rows: RawRow[] = [];
    for await (const row of readRows(Readable.from([Buffer.from(text)]), { onFormat: (f) => (format = f), ...options })) rows.push(row);
    return { format, rows };
  }

  it("is the delimiter, line 1 of the file, not a row", async () => {
    for (const [sep, delimiter] of [["sep=;", ";"], ["sep=,", ","], ["sep=\t", "\t"], ["sep=\\t", "\t"], ["SEP=|", "|"], ['"sep=;"', ";"]]) {
      const cells = ["NOM", "PRENOM"].join(delimiter);
      const { format, rows } = await read(`${sep}\r\n${cells}\r\nA${delimiter}B\r\n`);
      expect(format).toEqual({ kind: "csv", encoding: "utf-8", encodingConfident: false, delimiter, delimiterConfident: true, delimiterDeclared: true });
      expect(rows).toEqual([{ line: 2, cells: ["NOM", "PRENOM"] }, { line: 3, cells: ["A", "B"] }]);
    }
  });

  it("after a BOM, in Windows-1252, before blank lines; taken out too when the delimiter is given", async () => {
    const bom = await read(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("sep=,\n\nNOM,PRÉNOM\nA,B\n")]));
    expect(bom.format).toMatchObject({ encoding: "utf-8", delimiter: ",", delimiterDeclared: true });
    expect(bom.rows.map((r) => r.line)).toEqual([3, 4]);
    const given = await read("sep=;\r\nNOM;PRENOM\r\nA;B\r\n", { delimiter: ";" });
    expect(given.rows.map((r) => r.line)).toEqual([2, 3]);
    expect(given.format).toMatchObject({ delimiterDeclared: true });
  });

  it("is only a line of its own: « sep=; » inside a row, or an unknown delimiter, is read as text", async () => {
    expect((await read("sep=;NOM;PRENOM\r\nA;B;C\r\n")).rows[0]).toEqual({ line: 1, cells: ["sep=", "NOM", "PRENOM"] });
    const colon = await read("sep=:\r\nNOM;PRENOM\r\nA;B\r\n");
    expect(colon.format).not.toHaveProperty("delimiterDeclared");
    expect(colon.rows[0]).toEqual({ line: 1, cells: ["sep=:"] });
    expect(await read("sep=;")).toMatchObject({ rows: [] });
  });
});
