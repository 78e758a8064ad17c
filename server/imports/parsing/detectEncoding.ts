// Guesses the text encoding of a listing from its first bytes (e.g. the first 64 KB).
// Funds send UTF-8 (with or without BOM) or Windows-1252; Excel's "Texte Unicode" export is
// UTF-16 with a BOM. Decode with iconv-lite, never TextDecoder: Node's TextDecoder for
// windows-1252 loses Œ œ ’.

export type TextEncoding = "utf-8" | "windows-1252" | "utf-16le" | "utf-16be";

export interface EncodingGuess {
  encoding: TextEncoding;
  /** false when the sample cannot tell (pure ASCII, or bytes unusual for French text). */
  confident: boolean;
}

// Bytes that Windows-1252 leaves undefined: their presence means "probably not 1252 either".
const UNDEFINED_IN_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

export function detectEncoding(head: Uint8Array): EncodingGuess {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8", confident: true };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", confident: true };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", confident: true };

  const scan = scanUtf8(head);
  if (scan === "ascii") return { encoding: "utf-8", confident: false };
  if (scan === "utf-8") return { encoding: "utf-8", confident: true };
  const unusual = head.some((b) => UNDEFINED_IN_1252.has(b));
  return { encoding: "windows-1252", confident: !unusual };
}

/** "ascii" (no byte ≥ 0x80), "utf-8" (valid multi-byte sequences), or "invalid". */
function scanUtf8(bytes: Uint8Array): "ascii" | "utf-8" | "invalid" {
  let sawMultiByte = false;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return "invalid";
    for (let k = 1; k < length; k++) {
      // A sequence cut by the end of the sample counts for UTF-8 only if UTF-8 was already seen.
      if (i + k >= bytes.length) return sawMultiByte ? "utf-8" : "invalid";
      const c = bytes[i + k];
      if ((c & 0xc0) !== 0x80) return "invalid";
      if (k === 1 && ((b === 0xe0 && c < 0xa0) || (b === 0xed && c > 0x9f) || (b === 0xf0 && c < 0x90) || (b === 0xf4 && c > 0x8f))) {
        return "invalid"; // overlong forms, surrogates, beyond U+10FFFF
      }
    }
    sawMultiByte = true;
    i += length;
  }
  return sawMultiByte ? "utf-8" : "ascii";
}
