// Guesses the field delimiter of a CSV/TSV listing from its first lines, ignoring delimiters
// inside quoted fields (which may also hold line breaks).

export type Delimiter = ";" | "," | "\t" | "|";

export interface DelimiterGuess {
  delimiter: Delimiter;
  /** false when no candidate splits the lines consistently (or the file has one column). */
  confident: boolean;
}

// Order breaks ties: French exports favour the semicolon.
const CANDIDATES: Delimiter[] = [";", "\t", ",", "|"];
const MAX_RECORDS = 50;

export function detectDelimiter(text: string): DelimiterGuess {
  const all = countPerRecord(text);
  // A title line without any delimiter ("Extraction du 02/03/2025") may precede the header.
  const first = all.findIndex((r) => r.some((c) => c > 0));
  const records = first < 0 ? [] : all.slice(first + referenceRecord(all.slice(first)));
  if (records.length === 0) return { delimiter: ";", confident: false };

  const scored = CANDIDATES.map((delimiter, index) => {
    const counts = records.map((r) => r[index]);
    const headerCount = counts[0];
    if (headerCount === 0) return { delimiter, score: 0 };
    // Share of records splitting like the header; records with fewer (but some) fields count
    // half, as funds often leave trailing columns out.
    const score = counts.reduce((sum, c) => sum + (c === headerCount ? 1 : c > 0 && c < headerCount ? 0.5 : 0), 0);
    return { delimiter, score: score / counts.length };
  });
  // Stable sort: on equal scores the order of CANDIDATES decides.
  const [best, second] = [...scored].sort((a, b) => b.score - a.score);
  if (best.score === 0) return { delimiter: ";", confident: false };
  return { delimiter: best.delimiter, confident: best.score >= 0.8 && second.score < best.score - 0.1 };
}

const MAX_TITLE_RECORDS = 10;

/**
 * Where the listing starts: the first record that splits like the next one (the same number of some delimiter), within
 * the first few. A title or a date above the header may hold delimiters of its own (« Département;69;Extraction;
 * 01/12/2026 » above a header of nine columns, « Extraction du 01/12/2026, Rhône » in a semicolon file): it is not the
 * header the others are compared with. Failing that, the first record, as before.
 */
function referenceRecord(records: number[][]): number {
  for (let i = 0; i + 1 < records.length && i < MAX_TITLE_RECORDS; i++) {
    if (records[i].some((count, k) => count > 0 && count === records[i + 1][k])) return i;
  }
  return 0;
}

/** For each of the first records: how many of each candidate appear outside quotes. */
function countPerRecord(text: string): number[][] {
  const records: number[][] = [];
  let counts = CANDIDATES.map(() => 0);
  let inQuotes = false;
  let fieldStart = true;
  let nonEmpty = false;
  const flush = () => {
    if (nonEmpty) records.push(counts);
    counts = CANDIDATES.map(() => 0);
    nonEmpty = false;
  };
  for (let i = 0; i < text.length && records.length < MAX_RECORDS; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') i++;
        else inQuotes = false;
      }
      continue;
    }
    if (ch === '"' && fieldStart) {
      inQuotes = true;
      fieldStart = false;
      nonEmpty = true;
      continue;
    }
    if (ch === "\r" || ch === "\n") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      flush();
      fieldStart = true;
      continue;
    }
    const k = CANDIDATES.indexOf(ch as Delimiter);
    if (k >= 0) {
      counts[k]++;
      fieldStart = true;
    } else if (ch !== " ") {
      fieldStart = false;
    }
    if (ch.trim() !== "") nonEmpty = true;
  }
  // The last record of a sample may be cut in the middle: keep it only if it is the only one.
  if (records.length === 0) flush();
  return records;
}
