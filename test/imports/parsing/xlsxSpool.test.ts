// A workbook is spooled to a temporary file (a copy of the listing's identities); the copy a killed import left
// behind is removed by the next workbook read, the ones of live processes are not.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeOrphanSpools } from "../../../server/imports/parsing/readXlsxRows.ts";

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
