// CSV exports open in a French Excel by a double-click: BOM, ";", CRLF, decimal commas; a text that Excel would run as
// a formula is made inert, and one it would turn into a number (a code: INSEE, postal code, phone, identifier) is
// written ="…" so that it stays the same text. A file for software keeps exact values.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { endCsv, frenchCsv, inertCell, keptAsText, writeRecord, type CsvOptions } from "../../server/imports/frenchCsv.ts";

async function written(header: string[], rows: (string | number | null)[][], options?: CsvOptions) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const csv = frenchCsv(out, header, options);
  for (const row of rows) await writeRecord(csv, row);
  await endCsv(csv);
  return Buffer.concat(chunks).toString("utf8");
}

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

describe("keptAsText", () => {
  it("wraps the texts Excel would read as numbers, only those, and makes formulas inert", () => {
    for (const code of ["01053", "75056", "+33612345678", "00123", "10003456789", "12345678901234567890", "-2", "12,5", "1.5", "1E5",
      "+33612345678 +33698765432", "06 12 34 56 78", "1 000"]) expect(keptAsText(code)).toBe(`="${code}"`);
    for (const text of ["2A004", "DUPONT", "12/03/1950", "02/12/2026 14:30", "", "01a234e0-95f9-7000-a191-6f27648b47ed"]) expect(keptAsText(text)).toBe(text);
    expect(keptAsText("-2+3")).toBe("'-2+3"); // a formula: made inert
    expect(keptAsText("1".repeat(256))).toBe("1".repeat(256)); // too long for a formula's text
  });
});

describe("frenchCsv", () => {
  it("writes for Excel: BOM, semicolons, CRLF, codes kept as text, numbers as numbers with a decimal comma", async () => {
    const text = await written(["Code INSEE", "Téléphone", "Nom", "Tentatives", "Taux", "Naissance"], [["01053", "+33612345678", "=1+1", 3, 71.4, "12/03/1950"], [null, "", "Élodie", 0, 100, ""]]);
    expect(text).toBe('\uFEFFCode INSEE;Téléphone;Nom;Tentatives;Taux;Naissance\r\n"=""01053""";"=""+33612345678""";\'=1+1;3;71,4;12/03/1950\r\n;;Élodie;0;100;\r\n');
  });

  it("writes for software exact values (formulas still made inert)", async () => {
    const text = await written(["rpps", "identifiant", "nom"], [["10003456789", "00123", "=1+1"]], { readBy: "software" });
    expect(text).toBe("\uFEFFrpps;identifiant;nom\r\n10003456789;00123;'=1+1\r\n");
  });
});
