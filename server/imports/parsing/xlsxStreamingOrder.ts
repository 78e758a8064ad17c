// A checked workbook, read in the order exceljs' streaming reader needs to parse its sheets as they come. That reader
// parses a sheet at once only when the workbook's relations and shared strings came before it; otherwise (Excel, and
// exceljs itself, write the sheets first) it inflates every sheet into a temporary file of its own (the `tmp` package,
// in the system's temporary folder) and parses them after. A read stopped early (detection reads a head; the import
// stops after its sheet) left those copies of the listing's identities there until the process exited: in the web
// process, after every upload. So the entries are handed over with the workbook's parts first (content types,
// relations, workbook, styles, shared strings; an empty shared strings part when there is none), then the rest in file
// order, each entry's bytes as written (local header, data, descriptor), with a central directory that says where they
// now are. Nothing is inflated again, and nothing is written: the bytes are read from the spool.
import { open } from "node:fs/promises";
import { crc32 } from "node:zlib";
import { readRange, type ZipLayout } from "./checkZip.ts";

/** The parts exceljs' reader must have met before a sheet, in this order (the names it looks for). */
const FIRST = ["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/workbook.xml", "xl/styles.xml", "xl/sharedStrings.xml"];
const SHARED_STRINGS = "xl/sharedStrings.xml";
const EMPTY_SHARED_STRINGS = Buffer.from(
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>',
);

export async function* xlsxStreamingOrder(path: string, layout: ZipLayout): AsyncGenerator<Buffer> {
  const rank = (name: Buffer) => {
    const i = FIRST.indexOf(name.toString("utf8"));
    return i < 0 ? FIRST.length : i;
  };
  const ordered = layout.entries.map((entry, i) => ({ entry, i })).sort((a, b) => rank(a.entry.name) - rank(b.entry.name) || a.i - b.i);
  const records: Buffer[] = [];
  let offset = 0;
  const file = await open(path, "r");
  try {
    // without shared strings (every cell a number or an inline string), an empty part where they go: before any sheet
    const hasSharedStrings = ordered.some(({ entry }) => entry.name.toString("utf8") === SHARED_STRINGS);
    const sharedStringsAt = hasSharedStrings ? -1 : ordered.findIndex(({ entry }) => rank(entry.name) === FIRST.length);
    for (const [n, { entry }] of ordered.entries()) {
      if (n === sharedStringsAt) {
        const stored = storedEntry(SHARED_STRINGS, EMPTY_SHARED_STRINGS, offset);
        records.push(stored.record);
        offset += stored.local.length;
        yield stored.local;
      }
      const record = Buffer.from(entry.record);
      record.writeUInt32LE(offset, 42);
      records.push(record);
      offset += entry.end - entry.offset;
      yield* readRange(file, entry.offset, entry.end - entry.offset);
    }
  } finally {
    await file.close();
  }
  const central = Buffer.concat(records);
  const eocd = Buffer.from(layout.eocd);
  eocd.writeUInt16LE(records.length, 8);
  eocd.writeUInt16LE(records.length, 10);
  eocd.writeUInt32LE(central.length, 12);
  eocd.writeUInt32LE(offset, 16);
  yield central;
  yield eocd;
}

/** A stored (not deflated) entry: its local header with its data, and its central directory record. */
function storedEntry(name: string, data: Buffer, offset: number): { local: Buffer; record: Buffer } {
  const nameBytes = Buffer.from(name, "utf8");
  const crc = crc32(data);
  const local = Buffer.alloc(30 + nameBytes.length + data.length);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(0x21, 12); // date: 1 January 1980
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(nameBytes.length, 26);
  nameBytes.copy(local, 30);
  data.copy(local, 30 + nameBytes.length);
  const record = Buffer.alloc(46 + nameBytes.length);
  record.writeUInt32LE(0x02014b50, 0);
  record.writeUInt16LE(20, 4); // version made by
  record.writeUInt16LE(20, 6); // version needed
  record.writeUInt16LE(0x21, 14);
  record.writeUInt32LE(crc, 16);
  record.writeUInt32LE(data.length, 20);
  record.writeUInt32LE(data.length, 24);
  record.writeUInt16LE(nameBytes.length, 28);
  record.writeUInt32LE(offset, 42);
  nameBytes.copy(record, 46);
  return { local, record };
}
