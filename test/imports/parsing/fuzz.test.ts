// Random and damaged files through the whole pure pipeline: detectEncoding, readRows,
// findHeader, mapHeaders, parsePatientRow / parseGpRow. Nothing may throw, and every physical record of a
// CSV must be accounted for: yielded with the right line, or covered by a reported error.
import { readFileSync, rmSync } from "node:fs";
import { Readable } from "node:stream";
import fc from "fast-check";
import iconv from "iconv-lite";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveCommune } from "../../../server/geo/communes.ts";
import { detectEncoding } from "../../../server/imports/parsing/detectEncoding.ts";
import { mapHeaders } from "../../../server/imports/parsing/mapHeaders.ts";
import { parseGpRow } from "../../../server/imports/parsing/parseGpRow.ts";
import { parsePatientRow } from "../../../server/imports/parsing/parsePatientRow.ts";
import { declaredDelimiter, readRows, type ListingFormat, type RawRow } from "../../../server/imports/parsing/readRows.ts";
import { findHeader, HEADER_SEARCH_ROWS } from "../../../server/imports/parsing/findHeader.ts";
import { makeTempDir, writeCpamListing, writeCptsListing, writeMsaListing, writeXlsxListing } from "./makeListing.ts";

const TOKENS = [
  ";", ",", "\t", "|", '"', '""', "\r\n", "\n", "\r", " ", "a", "é", "Œ", "œ", "’", "\u00a0", "\ufeff",
  "06 12 34 56 78", "+33 6 12 34 56 78", "0692 12 34 56", "6 12 34 56 78", "06 12 34", "12/03/1950", "31/02/1950",
  "5/3/48", "18334", "01053", "1053", "2A004", "75015", "PARIS", "01300", "TOTAL", "Total général", "NOM", "PRENOM",
  "DATE_NAISSANCE", "TEL_PORTABLE", "CODE_INSEE", "CP", "COMMUNE", "NIR", "150037511504282", "RPPS", "10000000017",
  "O", "N", "X", "VRAI", "Extraction CPAM du 01/12/2026", "Patients ALD sans MT — Département 69", "150352",
];

function lineBreaks(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}
function span(row: RawRow): number {
  return 1 + row.cells.reduce((n, c) => n + lineBreaks(c), 0);
}

async function run(bytes: Buffer, chunkSize: number) {
  detectEncoding(bytes.subarray(0, 65536));
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  let format: ListingFormat | undefined;
  const rows: RawRow[] = [];
  for await (const row of readRows(Readable.from(chunks), { onFormat: (f) => (format = f) })) rows.push(row);

  // Lines only go forward; an error can only be the last thing reported.
  for (let i = 1; i < rows.length; i++) expect(rows[i].line).toBeGreaterThan(rows[i - 1].line);
  expect(rows.slice(0, -1).every((r) => r.error === undefined)).toBe(true);

  if (format?.kind === "csv" && !format.encoding.startsWith("utf-16")) accountForEveryLine(bytes, format, rows);

  const data = rows.filter((r) => !r.error);
  if (data.length === 0) return;
  // the header as detection finds it (below a title), else the first row; the rows above it are not parsed
  const at = findHeader(data, "patient")?.index ?? 0;
  expect(at).toBeLessThan(HEADER_SEARCH_ROWS);
  const patients = mapHeaders(data[at].cells, "patient").mapping;
  const gps = mapHeaders(data[at].cells, "gp").mapping;
  for (const row of data.slice(at + 1)) {
    const p = parsePatientRow(row.cells, patients, resolveCommune);
    expect("skip" in p || p.ok === true || (p.ok === false && p.reason.length > 0)).toBe(true);
    const g = parseGpRow(row.cells, gps, resolveCommune);
    expect("skip" in g || g.ok === true || (g.ok === false && g.reason.length > 0)).toBe(true);
  }
}

function accountForEveryLine(bytes: Buffer, format: Extract<ListingFormat, { kind: "csv" }>, rows: RawRow[]) {
  const text = iconv.decode(bytes, format.encoding); // strips a BOM
  const lines = text.split(/\r\n|\r|\n/);
  const physical = lineBreaks(text) + (text === "" || /[\r\n]$/.test(text) ? 0 : 1);
  const blank = (line: string) => line.replace(/[;,\t|"]/g, "").trim() === "";
  if (rows.length === 0) {
    expect(lines.slice(format.delimiterDeclared ? 1 : 0).every(blank)).toBe(true);
    return;
  }
  // Excel's « sep=; » line and blank lines before the first row are skipped, nothing else.
  const declared = format.delimiterDeclared ? 1 : 0;
  if (declared) expect(declaredDelimiter(lines[0])).toBe(format.delimiter);
  expect(lines.slice(declared, rows[0].line - 1).every(blank)).toBe(true);
  // Each record starts where the previous one ended.
  for (let i = 1; i < rows.length; i++) expect(rows[i].line).toBe(rows[i - 1].line + span(rows[i - 1]));
  const last = rows[rows.length - 1];
  if (last.error) {
    expect(last.line).toBeLessThanOrEqual(physical);
    expect(last.error).toMatch(/^lecture interrompue à la ligne \d+ : /);
  } else {
    expect(last.line + span(last) - 1).toBe(physical);
  }
}

describe("fuzz: random and damaged listings", () => {
  let fixtures: Buffer[] = [];
  beforeAll(async () => {
    const dir = makeTempDir();
    const paths = [writeCpamListing(dir).path, writeMsaListing(dir).path, writeCptsListing(dir).path, (await writeXlsxListing(dir)).path];
    fixtures = paths.map((p) => readFileSync(p));
    rmSync(dir, { recursive: true, force: true });
  });

  it("never throws and accounts for every physical record (1,000 cases)", async () => {
    const fixture = fc.nat({ max: 3 }).map((i) => fixtures[i]);
    const tokens = fc
      .tuple(fc.array(fc.constantFrom(...TOKENS), { maxLength: 400 }), fc.constantFrom("utf-8", "windows-1252", "utf-8-bom"))
      .map(([parts, encoding]) => {
        const text = parts.join("");
        if (encoding === "utf-8-bom") return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
        return encoding === "utf-8" ? Buffer.from(text) : iconv.encode(text, "windows-1252");
      });
    // Excel's delimiter declaration, then anything (a title, the header, broken rows)
    const declared = fc
      .tuple(fc.constantFrom("sep=;", "sep=,", "sep=\t", "sep=|", "SEP=;", "sep=\\t"), fc.constantFrom("\r\n", "\n", "\r"), fc.array(fc.constantFrom(...TOKENS), { maxLength: 300 }))
      .map(([sep, eol, parts]) => Buffer.from(`${sep}${eol}${parts.join("")}`));
    const random = fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a));
    const truncated = fc.tuple(fixture, fc.nat()).map(([f, cut]) => f.subarray(0, cut % (f.length + 1)));
    const mutated = fc
      .tuple(fixture, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }))
      .map(([f, changes]) => {
        const copy = Buffer.from(f);
        for (const [at, value] of changes) copy[at % copy.length] = value;
        return copy;
      });
    await fc.assert(
      fc.asyncProperty(fc.oneof(tokens, declared, random, truncated, mutated), fc.integer({ min: 1, max: 200 }), run),
      { numRuns: 1000 },
    );
  });
});
