// A workbook is spooled to a temporary file (a copy of the listing's identities); the copy a killed import left
// behind is removed by the next workbook read, the ones of live processes are not. exceljs makes no copy of its own.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { removeOrphanSpools } from "../../../server/imports/parsing/readXlsxRows.ts";
import { readRows, type RawRow } from "../../../server/imports/parsing/readRows.ts";
import { writeXlsxListing } from "./makeListing.ts";

describe("workbook spools", () => {
  const dir = mkdtempSync(join(tmpdir(), "omt-spool-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("the spool of a process that is gone is removed; this process's and a live one's stay", async () => {
    const gone = spawnSync(process.execPath, ["-e", "process.pid"]).pid!; // ended by now
    for (const name of [`omt-xlsx-${gone}-a1b2c3`, `omt-xlsx-${process.pid}-d4e5f6`, `omt-xlsx-${process.ppid}-g7h8i9`, "omt-xlsx-other"]) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, "listing.xlsx"), "identités");
    }
    expect(await removeOrphanSpools(dir)).toEqual([`omt-xlsx-${gone}-a1b2c3`]);
    expect(existsSync(join(dir, `omt-xlsx-${gone}-a1b2c3`))).toBe(false);
    expect(existsSync(join(dir, `omt-xlsx-${process.pid}-d4e5f6`, "listing.xlsx"))).toBe(true);
    expect(existsSync(join(dir, `omt-xlsx-${process.ppid}-g7h8i9`))).toBe(true);
  });
});

describe("exceljs' own copies", () => {
  const dir = mkdtempSync(join(tmpdir(), "omt-spool-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // the `tmp` package, which exceljs' reader uses for the sheets it meets before the shared strings, names its files so
  const copiesOfThisProcess = () => readdirSync(tmpdir()).filter((name) => name.startsWith(`tmp-${process.pid}-`));

  it("a workbook read in part (detection's head), or without shared strings, leaves no copy of its sheets behind", async () => {
    const listing = await writeXlsxListing(dir); // exceljs writes the sheets first, the workbook part last
    const before = copiesOfThisProcess();
    const head: RawRow[] = [];
    for await (const row of readRows(listing.path, { allSheets: true })) if (head.push(row) >= 2) break;
    expect(head.map((r) => r.line)).toEqual([1, 2]);
    expect(copiesOfThisProcess()).toEqual(before);

    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: join(dir, "inline.xlsx"), useSharedStrings: false });
    const sheet = writer.addWorksheet("Patients");
    sheet.addRow(["NOM", "DATE_NAISSANCE"]).commit();
    sheet.addRow(["DUPONT", 18334]).commit();
    sheet.commit();
    await writer.commit();
    const rows: RawRow[] = [];
    for await (const row of readRows(join(dir, "inline.xlsx"))) rows.push(row);
    expect(rows).toEqual([
      { line: 1, cells: ["NOM", "DATE_NAISSANCE"], sheet: { index: 0, name: "Patients" } },
      { line: 2, cells: ["DUPONT", "18334"], sheet: { index: 0, name: "Patients" } },
    ]);
    expect(copiesOfThisProcess()).toEqual(before);
  });
});
