// Writes export tables as a French Excel CSV (frenchCsv: ";", BOM, dd/mm/yyyy) or as an XLSX workbook with
// exceljs' streaming writer (rows committed as they are written, one sheet per table).
import type { Writable } from "node:stream";
import ExcelJS from "exceljs";
import { endCsv, frenchCsv, writeRecord } from "../imports/frenchCsv.ts";
import type { CellValue, ExportTable } from "./reportTables.ts";

// Exports show instants in the organisation's time zone (server/organisations/timeZone.ts): `zone` below.

/** dd/mm/yyyy for a date alone, dd/mm/yyyy hh:mm for an instant with a time, in `zone`. */
export function frenchDate(d: Date, zone: string, withTime = false): string {
  const parts = new Intl.DateTimeFormat("fr-FR", { timeZone: zone, day: "2-digit", month: "2-digit", year: "numeric", ...(withTime ? { hour: "2-digit", minute: "2-digit" } : {}) }).format(d);
  return parts.replace(",", "");
}

// numbers stay numbers (frenchCsv writes their decimal comma), so that Excel sums them
const csvCell = (v: CellValue, zone: string) => (v instanceof Date ? frenchDate(v, zone, true) : v);

export async function writeCsvTable(out: Writable, table: ExportTable, zone: string): Promise<void> {
  const csv = frenchCsv(out, table.columns);
  for (const row of table.rows) await writeRecord(csv, row.map((v) => csvCell(v, zone)));
  await endCsv(csv);
}

/** The same instant with the wall-clock time of `zone` in its UTC fields: Excel has no time zones and exceljs writes UTC. */
export function wallClock(d: Date, zone: string): Date {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-GB", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" })
    .formatToParts(d).map((x) => [x.type, x.value]));
  return new Date(Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second));
}

/** A streamed workbook; add sheets and rows, then `commit()`. Dates get the dd/mm/yyyy hh:mm format. */
export function xlsxWriter(out: Writable, zone: string) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  return {
    sheet(name: string, columns: string[]) {
      const ws = workbook.addWorksheet(name.slice(0, 31).replace(/[\\/?*[\]:]/g, "-"));
      ws.columns = columns.map((header) => ({ header, width: Math.min(45, Math.max(12, header.length + 2)) }));
      ws.getRow(1).font = { bold: true };
      ws.getRow(1).commit();
      return {
        add(row: CellValue[]) {
          const r = ws.addRow(row.map((v) => (v instanceof Date ? wallClock(v, zone) : v)));
          row.forEach((v, i) => {
            if (v instanceof Date) r.getCell(i + 1).numFmt = "dd/mm/yyyy hh:mm";
          });
          r.commit();
        },
        done: () => ws.commit(),
      };
    },
    commit: () => workbook.commit(),
  };
}

export async function writeXlsxTables(out: Writable, tables: ExportTable[], zone: string): Promise<void> {
  const book = xlsxWriter(out, zone);
  for (const t of tables) {
    const sheet = book.sheet(t.sheet, t.columns);
    for (const row of t.rows) sheet.add(row);
    sheet.done();
  }
  await book.commit();
}
