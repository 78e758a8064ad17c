// Streams the rows of the first worksheet of an XLSX listing (or of every worksheet, in turn) with exceljs' streaming
// reader. `line` is the Excel row number. Dates come out as ISO yyyy-mm-dd, numbers as plain strings.
// The file is first spooled to a temporary file and its ZIP structure checked (checkZip):
// exceljs' reader never settles on some damaged archives. The reader then gets the workbook's
// parts before its sheets (xlsxStreamingOrder), so that it writes no copy of its own.
import { createWriteStream } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import ExcelJS from "exceljs";
import { checkZip } from "./checkZip.ts";
import { xlsxStreamingOrder } from "./xlsxStreamingOrder.ts";
import { excelSerialToIsoDate } from "./excelSerial.ts";
import { isBlankRow, type RawRow, type SheetInfo } from "./rawRow.ts";

// The spool is a copy of the listing (identities): named after the process that reads it, so that the copy left by a
// process that was killed (kill -9, a crash: no `finally`) is removed by the next one.
const SPOOL_PREFIX = "omt-xlsx-";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the spools of processes that are gone. */
export async function removeOrphanSpools(dir = tmpdir()): Promise<string[]> {
  const orphans = (await readdir(dir)).filter((name) => {
    const pid = Number(/^omt-xlsx-(\d+)-/.exec(name)?.[1]);
    return pid > 0 && pid !== process.pid && !alive(pid);
  });
  await Promise.all(orphans.map((name) => rm(join(dir, name), { recursive: true, force: true })));
  return orphans;
}

export interface XlsxOptions {
  /** Every worksheet, one after the other (each row says which: `sheet`), rather than the first one only. */
  allSheets?: boolean;
}

export async function* readXlsxRows(bytes: AsyncIterable<Buffer>, options: XlsxOptions = {}): AsyncGenerator<RawRow> {
  await removeOrphanSpools().catch(() => []);
  const dir = await mkdtemp(join(tmpdir(), `${SPOOL_PREFIX}${process.pid}-`));
  try {
    const path = join(dir, "listing.xlsx");
    await pipeline(Readable.from(bytes), createWriteStream(path));
    const layout = await checkZip(path);
    if (typeof layout === "string") {
      yield { line: 1, cells: [], error: `lecture du classeur Excel impossible : ${layout}` };
      return;
    }
    yield* readCheckedXlsx(Readable.from(xlsxStreamingOrder(path, layout)), options);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function* readCheckedXlsx(input: Readable, { allSheets = false }: XlsxOptions): AsyncGenerator<RawRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache", // needed to tell date cells from numbers
    hyperlinks: "ignore",
    entries: "ignore",
  });
  let lastLine = 0;
  let sheet: SheetInfo | undefined;
  try {
    for await (const worksheet of reader) {
      const index = (sheet?.index ?? -1) + 1;
      // the tab's name and whether it is hidden (exceljs has read the workbook's part: xlsxStreamingOrder puts it first);
      // missing from its types
      const { name, state } = worksheet as unknown as { name?: string; state?: string };
      sheet = { index, name: name ?? `Feuille ${index + 1}`, ...(state === "hidden" || state === "veryHidden" ? { hidden: true as const } : {}) };
      let headerSeen = false;
      lastLine = 0;
      for await (const row of worksheet) {
        const cells: string[] = [];
        row.eachCell({ includeEmpty: false }, (cell, column) => {
          while (cells.length < column - 1) cells.push("");
          cells[column - 1] = cellText(cell.value, cell.numFmt);
        });
        lastLine = row.number;
        if (!headerSeen && isBlankRow(cells)) continue;
        headerSeen = true;
        yield { line: row.number, cells, sheet };
      }
      if (!allSheets) break; // first worksheet only
    }
  } catch (error) {
    const where = [sheet && allSheets ? `feuille « ${sheet.name} »` : "", lastLine ? `après la ligne ${lastLine}` : ""].filter(Boolean).join(", ");
    yield {
      line: lastLine + 1,
      cells: [],
      error: `lecture du classeur Excel interrompue${where ? ` ${where}` : ""} : fichier XLSX illisible (${errorText(error)})`,
      ...(sheet && { sheet }),
    };
  } finally {
    input.destroy(); // the reader is left mid-archive when only the first sheet is read
  }
}

function cellText(value: ExcelJS.CellValue, numFmt: string | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") {
    if (isDateFormat(numFmt)) return excelSerialToIsoDate(value) ?? numberText(value);
    return numberText(value);
  }
  if (value instanceof Date) return dateText(value);
  if ("richText" in value) return value.richText.map((r) => r.text).join("");
  if ("hyperlink" in value) return typeof value.text === "string" ? value.text : cellText(value.text as ExcelJS.CellValue, numFmt);
  if ("error" in value) return "";
  if ("result" in value || "formula" in value || "sharedFormula" in value) {
    const result = value.result;
    if (result === undefined) return "";
    return cellText(result, numFmt);
  }
  return "";
}

function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

/** Dates are read as UTC instants by exceljs; keep the calendar day, and the time only if any. */
function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return "";
  const rounded = new Date(Math.round(d.getTime() / 60_000) * 60_000);
  const iso = rounded.toISOString();
  const time = iso.slice(11, 16);
  return time === "00:00" ? iso.slice(0, 10) : `${iso.slice(0, 10)}T${time}`;
}

function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  const stripped = fmt.replace(/\[[^\]]*]/g, "").replace(/"[^"]*"/g, "");
  return /[ymdhsb]/i.test(stripped) && !/^general$/i.test(stripped);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
