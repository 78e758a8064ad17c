// Each line of a UTF-8 or Windows-1252 listing is decoded by its own bytes: a file that mixes both (two extractions put
// end to end) reads right, whatever the chunks the bytes arrive in.
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { createTextDecoder } from "../../../server/imports/parsing/createTextDecoder.ts";
import type { EncodingGuess } from "../../../server/imports/parsing/detectEncoding.ts";

const utf8 = (s: string) => Buffer.from(s, "utf8");
const cp1252 = (s: string) => iconv.encode(s, "windows-1252");

/** The bytes decoded when they arrive `size` bytes at a time. */
function decodeInChunks(bytes: Buffer, size: number, guess: EncodingGuess = { encoding: "windows-1252", confident: true }) {
  const decoder = createTextDecoder(guess);
  let text = "";
  for (let at = 0; at < bytes.length; at += size) text += decoder.write(bytes.subarray(at, at + size));
  return text + decoder.end();
}

const LINES = ["NOM;PRENOM;COMMUNE", "DURAND;Élodie;Saint-Étienne", "CŒUR;Lœtitia;L’Haÿ-les-Roses", "MARTIN;Paul;Firminy", "BŒUF;Zoé;Saint-Genest-Lerpt"];

describe("createTextDecoder", () => {
  it("reads a file whose lines mix UTF-8 and Windows-1252, in any order and any chunks", () => {
    for (const [eol, encodings] of [["\r\n", [utf8, utf8, cp1252, utf8, cp1252]], ["\n", [cp1252, utf8, cp1252, cp1252, utf8]], ["\r", [utf8, cp1252, utf8, utf8, utf8]]] as const) {
      const bytes = Buffer.concat(LINES.map((line, i) => Buffer.concat([encodings[i](line), Buffer.from(eol)])));
      for (const size of [1, 2, 3, 7, 64, bytes.length]) expect(decodeInChunks(bytes, size), `${JSON.stringify(eol)} by ${size}`).toBe(LINES.join(eol) + eol);
    }
  });

  it("reads a pure UTF-8 file (BOM kept for the CSV parser), a pure Windows-1252 one, and UTF-16", () => {
    const text = LINES.join("\r\n");
    expect(decodeInChunks(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]), 5)).toBe(`\uFEFF${text}`);
    expect(decodeInChunks(cp1252(text), 5)).toBe(text);
    expect(decodeInChunks(iconv.encode(text, "utf-16le", { addBOM: true }), 5, { encoding: "utf-16le", confident: true })).toBe(text);
  });

  it("decodes a very long line without a line break by pieces, no character cut", () => {
    const long = "é€".repeat(1_000_000); // 5 MB of UTF-8 characters of 2 and 3 bytes, no ASCII byte to cut after
    const withSpaces = `${"é ".repeat(3_000_000)}\n`;
    for (const size of [1 << 20, (1 << 20) + 1, (1 << 20) + 2]) {
      expect(decodeInChunks(utf8(long), size) === long, `by ${size}`).toBe(true);
      expect(decodeInChunks(utf8(withSpaces), size) === withSpaces, `by ${size}`).toBe(true);
    }
  });
});
