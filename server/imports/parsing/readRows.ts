// Streams the rows of a listing (CSV, TSV or XLSX) from a file path or a Readable, without
// holding the file in memory. The first yielded row is the first non-blank one (leading blank
// rows, and Excel's « sep=; » line, are skipped); it is the header unless a title stands above it
// (findHeader). Each row carries the line number a text editor, or Excel, shows for it.
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import iconv from "iconv-lite";
import { detectDelimiter, type Delimiter } from "./detectDelimiter.ts";
import { detectEncoding, type EncodingGuess, type TextEncoding } from "./detectEncoding.ts";
import type { RawRow } from "./rawRow.ts";
import { readCsvRows } from "./readCsvRows.ts";

export type { RawRow, SheetInfo } from "./rawRow.ts";

export type ListingFormat =
  | { kind: "xlsx" }
  | {
    kind: "csv"; encoding: TextEncoding; encodingConfident: boolean; delimiter: Delimiter; delimiterConfident: boolean;
    /** The first line declared the delimiter (« sep=; », as Excel writes and reads it): line 1, not a row. */
    delimiterDeclared?: true;
  };

export interface ReadRowsOptions {
  /** Forces the encoding (e.g. after the coordinator corrected the guess). */
  encoding?: TextEncoding;
  /** Forces the delimiter. */
  delimiter?: Delimiter;
  /** Told once what was detected, before the first row. */
  onFormat?: (format: ListingFormat) => void;
  /** How many bytes are sniffed to detect the format (default 64 KB). */
  sniffBytes?: number;
  /** XLSX: the rows of every worksheet in turn (each row says its `sheet`), not only the first one's. */
  allSheets?: boolean;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0]; // Excel 97-2003 .xls

export async function* readRows(input: string | Readable, options: ReadRowsOptions = {}): AsyncGenerator<RawRow> {
  const stream = typeof input === "string" ? createReadStream(input) : input;
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const sniffBytes = options.sniffBytes ?? 64 * 1024;

  try {
    const headParts: Buffer[] = [];
    let headLength = 0;
    let exhausted = false;
    while (headLength < sniffBytes) {
      const next = await chunks.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      const chunk = toBuffer(next.value);
      headParts.push(chunk);
      headLength += chunk.length;
    }
    const head = Buffer.concat(headParts);
    async function* all(): AsyncGenerator<Buffer> {
      yield head;
      if (exhausted) return;
      for (;;) {
        const next = await chunks.next();
        if (next.done) return;
        yield toBuffer(next.value);
      }
    }

    if (startsWith(head, ZIP_MAGIC)) {
      options.onFormat?.({ kind: "xlsx" });
      // exceljs only when a workbook comes (+20 MB in every process that reads a CSV otherwise)
      const { readXlsxRows } = await import("./readXlsxRows.ts");
      yield* readXlsxRows(all(), { allSheets: options.allSheets });
      return;
    }
    if (startsWith(head, OLE_MAGIC)) {
      yield {
        line: 1,
        cells: [],
        error:
          "classeur Excel 97-2003 (.xls) ou protégé par mot de passe : non pris en charge ; enregistrez-le au format .xlsx sans mot de passe, ou .csv",
      };
      return;
    }

    // Text in UTF-8 or Windows-1252 never holds a NUL byte; a file that does is something else renamed .csv.
    const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff) || options.encoding?.startsWith("utf-16");
    if (!utf16 && head.includes(0)) {
      yield {
        line: 1,
        cells: [],
        error: "fichier illisible : ni un texte CSV, ni un classeur .xlsx (il contient des octets binaires) ; enregistrez le fichier au format .csv ou .xlsx",
      };
      return;
    }
    const guess: EncodingGuess = options.encoding
      ? { encoding: options.encoding, confident: true }
      : detectEncoding(head);
    const text = iconv.decode(head, guess.encoding); // without its BOM
    const declared = declaredDelimiter(text);
    const delimiterGuess = options.delimiter
      ? { delimiter: options.delimiter, confident: true }
      : declared
        ? { delimiter: declared, confident: true }
        : detectDelimiter(text);
    options.onFormat?.({
      kind: "csv",
      encoding: guess.encoding,
      encodingConfident: guess.confident,
      delimiter: delimiterGuess.delimiter,
      delimiterConfident: delimiterGuess.confident,
      ...(declared && { delimiterDeclared: true }),
    });
    yield* readCsvRows(all(), guess, delimiterGuess.delimiter, { declarationLine: Boolean(declared) });
  } finally {
    stream.destroy();
  }
}

// Excel's delimiter declaration, alone on the first line: « sep=; », « sep=, », « sep=| », or a tab after « sep= » (also
// written « sep=\t » by hand). Excel takes it as the delimiter and does not show it; so do we.
const DECLARATION = /^"?sep=(;|,|\t|\\t|\|)"?[ ]*(?:\r\n|\n|\r|$)/i;
const DECLARED: Record<string, Delimiter> = { ";": ";", ",": ",", "\t": "\t", "\\t": "\t", "|": "|" };

/** The delimiter the first line declares, if it is such a line. */
export function declaredDelimiter(text: string): Delimiter | null {
  const m = DECLARATION.exec(text.replace(/^\uFEFF/, ""));
  return m ? DECLARED[m[1]] : null;
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
}

function startsWith(bytes: Buffer, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}
