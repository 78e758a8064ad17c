// A streaming decoder for a listing. UTF-16 (Excel's « Texte Unicode ») is decoded as such. Otherwise each line is
// decoded on its own: as UTF-8 when its bytes are valid UTF-8, else as Windows-1252. Funds send either, and some
// send both in one file (extractions put end to end): decided once for the whole file, the lines of the other
// encoding came out as « Ã‰lodie » or « �lodie ». A Windows-1252 line of French text is practically never valid
// UTF-8 (an accented capital followed by a byte 0x80–0xBF, such as « É’ », with no other accent on the line), and
// a pure ASCII line reads the same in both. UTF-8 never puts the bytes of CR or LF inside a character, so lines
// are cut on bytes.
import { isAscii, isUtf8 } from "node:buffer";
import iconv from "iconv-lite";
import type { EncodingGuess } from "./detectEncoding.ts";

export interface TextDecoderStream {
  write(chunk: Buffer): string;
  end(): string;
}

const LF = 0x0a;
const CR = 0x0d;
/** A "line" this long without a line break is decoded anyway (safeCut): memory stays bounded. */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;

export function createTextDecoder(guess: EncodingGuess): TextDecoderStream {
  if (guess.encoding === "utf-16le" || guess.encoding === "utf-16be") {
    const decoder = iconv.getDecoder(guess.encoding);
    return { write: (chunk) => decoder.write(chunk), end: () => decoder.end() ?? "" };
  }
  let pending: Buffer = Buffer.alloc(0); // the bytes after the last line break seen
  return {
    write(chunk) {
      const bytes = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let cut = Math.max(bytes.lastIndexOf(LF), bytes.lastIndexOf(CR)) + 1;
      if (cut === 0 && bytes.length > MAX_PENDING_BYTES) cut = safeCut(bytes);
      pending = Buffer.from(bytes.subarray(cut)); // a copy: the chunk's memory is not kept alive by a few bytes
      return decodeLines(bytes.subarray(0, cut));
    },
    end() {
      const rest = pending;
      pending = Buffer.alloc(0);
      return decodeLines(rest);
    },
  };
}

/** Whole lines: each run of lines of one encoding decoded at once (ASCII lines join the run they are in). */
function decodeLines(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString("utf8");
  let text = "";
  let runStart = 0;
  let runUtf8 = false;
  // the next LF and CR at or after the line's start (-1: none left), each looked for again only once passed
  let lf = bytes.indexOf(LF);
  let cr = bytes.indexOf(CR);
  for (let start = 0; start < bytes.length; ) {
    if (lf >= 0 && lf < start) lf = bytes.indexOf(LF, start);
    if (cr >= 0 && cr < start) cr = bytes.indexOf(CR, start);
    const at = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
    const end = at < 0 ? bytes.length : at + 1;
    const line = bytes.subarray(start, end);
    if (!isAscii(line)) {
      const utf8 = isUtf8(line);
      if (utf8 !== runUtf8) {
        text += decode(bytes.subarray(runStart, start), runUtf8);
        runStart = start;
        runUtf8 = utf8;
      }
    }
    start = end;
  }
  return text + decode(bytes.subarray(runStart), runUtf8);
}

function decode(bytes: Buffer, utf8: boolean): string {
  if (!bytes.length) return "";
  return utf8 ? bytes.toString("utf8") : iconv.decode(bytes, "windows-1252", { stripBOM: false });
}

/** Where to cut a long run of bytes without a line break so that no UTF-8 character is split: after its last ASCII
 * byte, or before the first byte of its last character. */
function safeCut(bytes: Buffer): number {
  for (let i = bytes.length - 1; i >= Math.max(0, bytes.length - 4); i--) {
    if (bytes[i] < 0x80) return i + 1;
    if (bytes[i] >= 0xc0) return i;
  }
  return bytes.length; // not UTF-8 text: decoded as it is
}
