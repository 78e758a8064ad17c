// Streams the records of a CSV/TSV listing, decoding on the fly (iconv-lite) and parsing with
// csv-parse. Line numbers are counted here rather than taken from csv-parse's `info.lines`,
// which counts a CRLF inside a quoted field as two lines.
import { finished } from "node:stream/promises";
import { CsvError, parse } from "csv-parse";
import { createTextDecoder } from "./createTextDecoder.ts";
import type { Delimiter } from "./detectDelimiter.ts";
import type { EncodingGuess } from "./detectEncoding.ts";
import { isBlankRow, type RawRow } from "./rawRow.ts";

const MAX_RECORD_CHARS = 1_000_000;
const FEED_CHARS = 64 * 1024;

export interface CsvOptions {
  /** The first line is Excel's delimiter declaration (« sep=; »): line 1 of the file, not a row. */
  declarationLine?: boolean;
}

export async function* readCsvRows(
  bytes: AsyncIterable<Buffer>,
  encoding: EncodingGuess,
  delimiter: Delimiter,
  { declarationLine = false }: CsvOptions = {},
): AsyncGenerator<RawRow> {
  const decoder = createTextDecoder(encoding);
  const parser = parse({
    delimiter,
    quote: '"',
    escape: '"',
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    bom: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  // The parser is fed a slice of decoded text at a time (FEED_CHARS) and drained before the
  // next one, so memory holds at most a slice's records (about a thousand rows, not the 16,000
  // of a 1 MB stored chunk); records parsed before an error are not lost.
  let queue: string[][] = [];
  const state: { failure: Error | null } = { failure: null };
  parser.on("data", (record: string[]) => queue.push(record));
  parser.on("error", (error: Error) => {
    state.failure ??= error;
  });
  const feed = (text: string) => new Promise<void>((resolve) => parser.write(text, () => resolve()));

  let nextLine = 1;
  let headerSeen = false;
  let declaration = declarationLine;
  function* drain(): Generator<RawRow> {
    const records = queue;
    queue = [];
    for (const record of records) {
      const line = nextLine;
      nextLine += 1 + record.reduce((n, cell) => n + countLineBreaks(cell), 0);
      if (declaration) {
        declaration = false;
        continue;
      }
      // The header is the first non-blank record.
      if (!headerSeen && isBlankRow(record)) continue;
      headerSeen = true;
      yield { line, cells: record };
    }
  }

  try {
    reading: for await (const chunk of bytes) {
      const decoded = decoder.write(chunk);
      // a NUL further in the file (a damaged copy) cannot be stored in PostgreSQL's text: dropped, the row is read
      const text = decoded.includes("\u0000") ? decoded.replaceAll("\u0000", "") : decoded;
      for (let at = 0; at < text.length; ) {
        let end = Math.min(at + FEED_CHARS, text.length);
        // never cut a surrogate pair: csv-parse encodes each piece to UTF-8 on its own
        if (end < text.length && (text.charCodeAt(end - 1) & 0xfc00) === 0xd800) end += 1;
        await feed(at === 0 && end === text.length ? text : text.slice(at, end));
        at = end;
        yield* drain();
        if (state.failure) break reading;
      }
    }
    if (!state.failure) {
      const rest = decoder.end();
      if (rest) await feed(rest);
      parser.end();
      await finished(parser).catch(() => undefined); // the error listener keeps it
      yield* drain();
    }
    const error = state.failure;
    if (error && !(error instanceof CsvError)) throw error;
    if (error) yield { line: nextLine, cells: [], error: describeCsvError(error, nextLine) };
  } finally {
    parser.destroy();
  }
}

function countLineBreaks(cell: string): number {
  let n = 0;
  for (let i = 0; i < cell.length; i++) {
    const c = cell.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (cell.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

function describeCsvError(error: CsvError, line: number): string {
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return `lecture interrompue à la ligne ${line} : un guillemet ouvert n'est jamais refermé, la suite du fichier n'a pas pu être lue`;
    case "CSV_MAX_RECORD_SIZE":
      return `lecture interrompue à la ligne ${line} : ligne de plus d'un million de caractères (un guillemet mal placé, ou un fichier qui n'est pas un listing ?), la suite du fichier n'a pas pu être lue`;
    default:
      return `lecture interrompue à la ligne ${line} : fichier mal formé (${error.code}), la suite du fichier n'a pas pu être lue`;
  }
}
