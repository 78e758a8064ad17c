// A streaming decoder for a listing. When the first bytes are pure ASCII the encoding is still
// unknown (UTF-8 and Windows-1252 agree on ASCII): the decision is then taken at the first byte
// ≥ 0x80, wherever it comes in the file, instead of guessing from the head alone.
import iconv from "iconv-lite";
import { detectEncoding, type EncodingGuess, type TextEncoding } from "./detectEncoding.ts";

export interface TextDecoderStream {
  write(chunk: Buffer): string;
  end(): string;
  /** The encoding in use; "utf-8" while nothing but ASCII has been seen. */
  encoding(): TextEncoding;
}

type IconvDecoder = ReturnType<typeof iconv.getDecoder>;

export function createTextDecoder(guess: EncodingGuess): TextDecoderStream {
  let decoder: IconvDecoder | null = null;
  let chosen: TextEncoding = guess.encoding;
  if (guess.confident || guess.encoding !== "utf-8") decoder = iconv.getDecoder(guess.encoding);
  let pending: Buffer = Buffer.alloc(0);

  function decide(bytes: Buffer, atEnd: boolean): string {
    const high = bytes.findIndex((b) => b >= 0x80);
    if (high < 0) return bytes.toString("latin1");
    // Keep a possibly cut UTF-8 sequence for the next chunk before judging it.
    if (!atEnd && bytes.length - high < 4) {
      pending = bytes.subarray(high);
      return bytes.subarray(0, high).toString("latin1");
    }
    chosen = detectEncoding(bytes.subarray(high)).encoding;
    decoder = iconv.getDecoder(chosen, { stripBOM: false });
    return decoder.write(bytes);
  }

  return {
    write(chunk) {
      if (decoder) return decoder.write(chunk);
      const bytes = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      pending = Buffer.alloc(0);
      return decide(bytes, false);
    },
    end() {
      if (decoder) return decoder.end() ?? "";
      const rest = pending.length ? decide(pending, true) : "";
      return rest + ((decoder as IconvDecoder | null)?.end() ?? "");
    },
    encoding: () => chosen,
  };
}
