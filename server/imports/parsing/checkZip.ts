// Checks that a ZIP file (an XLSX) is intact before exceljs' streaming reader sees it: that
// reader never settles on some corrupted archives (an entry whose deflate data is damaged
// leaves it waiting forever). Every entry is checked against the central directory, its data
// inflated and its CRC-32 compared, and the entries must follow each other without gaps, as a
// sequential reader expects. Returns the archive's layout when intact (xlsxStreamingOrder reads it
// in another order), else a French reason.
import { open, type FileHandle } from "node:fs/promises";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createInflateRaw, crc32 } from "node:zlib";

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;

interface Entry {
  name: Buffer;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  /** Its record in the central directory, as written. */
  record: Buffer;
}

/** An intact archive: its entries in file order, each with where its bytes end (data and descriptor). */
export interface ZipLayout {
  entries: (Entry & { end: number })[];
  /** The end of central directory record, as written. */
  eocd: Buffer;
}

export async function checkZip(path: string): Promise<ZipLayout | string> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const central = await readCentralDirectory(file, size);
    if (typeof central === "string") return central;
    let expectedOffset = 0;
    const entries: ZipLayout["entries"] = [];
    for (const entry of [...central.list].sort((a, b) => a.offset - b.offset)) {
      if (entry.offset !== expectedOffset) return "archive XLSX corrompue (contenu inattendu entre deux éléments)";
      const end = await checkEntry(file, entry, central.centralOffset);
      if (typeof end === "string") return end;
      entries.push({ ...entry, end });
      expectedOffset = end;
    }
    if (expectedOffset !== central.centralOffset) return "archive XLSX corrompue (contenu inattendu avant le sommaire)";
    return { entries, eocd: central.eocd };
  } finally {
    await file.close();
  }
}

export async function read(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

async function readCentralDirectory(file: FileHandle, size: number): Promise<{ list: Entry[]; centralOffset: number; eocd: Buffer } | string> {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await read(file, size - tailLength, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      at = i;
      break;
    }
  }
  if (at < 0) return "archive XLSX incomplète ou corrompue (sommaire introuvable)";
  const count = tail.readUInt16LE(at + 10);
  const centralSize = tail.readUInt32LE(at + 12);
  const centralOffset = tail.readUInt32LE(at + 16);
  if (centralOffset + centralSize > size - tailLength + at) return "archive XLSX corrompue (sommaire hors du fichier)";
  const central = await read(file, centralOffset, centralSize);
  const list: Entry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > central.length || central.readUInt32LE(p) !== CENTRAL) return "archive XLSX corrompue (sommaire illisible)";
    const nameLength = central.readUInt16LE(p + 28);
    const extraLength = central.readUInt16LE(p + 30);
    const commentLength = central.readUInt16LE(p + 32);
    if (p + 46 + nameLength > central.length) return "archive XLSX corrompue (sommaire illisible)";
    list.push({
      method: central.readUInt16LE(p + 10),
      crc: central.readUInt32LE(p + 16),
      compressedSize: central.readUInt32LE(p + 20),
      size: central.readUInt32LE(p + 24),
      offset: central.readUInt32LE(p + 42),
      name: central.subarray(p + 46, p + 46 + nameLength),
      record: central.subarray(p, p + 46 + nameLength + extraLength + commentLength),
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return { list, centralOffset, eocd: tail.subarray(at, at + 22 + tail.readUInt16LE(at + 20)) };
}

/** Checks one entry; returns the offset just after it (data and descriptor), or a reason. */
async function checkEntry(file: FileHandle, entry: Entry, limit: number): Promise<number | string> {
  const broken = `archive XLSX corrompue (élément « ${entry.name.toString("utf8").slice(0, 80)} »)`;
  const header = await read(file, entry.offset, 30);
  if (header.length < 30 || header.readUInt32LE(0) !== LOCAL) return broken;
  const flags = header.readUInt16LE(6);
  if (flags & 1) return "classeur XLSX chiffré : enregistrez-le sans mot de passe";
  const hasDescriptor = (flags & 8) !== 0;
  const method = header.readUInt16LE(8);
  const nameLength = header.readUInt16LE(26);
  const extraLength = header.readUInt16LE(28);
  const name = await read(file, entry.offset + 30, nameLength);
  if (method !== entry.method || !name.equals(entry.name)) return broken;
  if (!hasDescriptor && (header.readUInt32LE(14) !== entry.crc || header.readUInt32LE(18) !== entry.compressedSize || header.readUInt32LE(22) !== entry.size)) {
    return broken;
  }
  const dataStart = entry.offset + 30 + nameLength + extraLength;
  let end = dataStart + entry.compressedSize;
  if (end > limit) return broken;

  const content = await inflatedCrc(file, dataStart, entry.compressedSize, method);
  if (content === null || content.crc !== entry.crc || content.size !== entry.size) return broken;

  if (hasDescriptor) {
    const d = await read(file, end, 16);
    const o = d.length >= 4 && d.readUInt32LE(0) === DESCRIPTOR ? 4 : 0;
    if (d.length < o + 12 || d.readUInt32LE(o) !== entry.crc || d.readUInt32LE(o + 4) !== entry.compressedSize || d.readUInt32LE(o + 8) !== entry.size) {
      return broken;
    }
    end += o + 12;
    if (end > limit) return broken;
  }
  return end;
}

/** CRC-32 and size of an entry's content, or null if it does not inflate. */
async function inflatedCrc(file: FileHandle, start: number, length: number, method: number): Promise<{ crc: number; size: number } | null> {
  if (method !== 0 && method !== 8) return null;
  let crc = 0;
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      callback();
    },
  });
  const source = Readable.from(readRange(file, start, length));
  try {
    if (method === 8) await pipeline(source, createInflateRaw(), sink);
    else await pipeline(source, sink);
    return { crc, size };
  } catch {
    return null;
  }
}

const READ_BYTES = 64 * 1024;

/** The bytes of [start, start + length) in pieces, read from the one open handle. Not `file.createReadStream()`: each
 * stream made on a FileHandle leaves a "close" listener on it, and a workbook has more than ten entries
 * (MaxListenersExceededWarning on every XLSX import from the CLI). */
export async function* readRange(file: FileHandle, start: number, length: number): AsyncGenerator<Buffer> {
  for (let at = start, end = start + length; at < end; ) {
    const piece = await read(file, at, Math.min(READ_BYTES, end - at));
    if (piece.length === 0) return; // the file is shorter than the directory says: the CRC check says so
    at += piece.length;
    yield piece;
  }
}
