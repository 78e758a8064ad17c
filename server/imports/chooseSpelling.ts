// Which spelling to keep when two listings (or two rows) write the same name or address differently. Listings differ
// in their typing more than in what they say: « Élodie » and « ELODIE », « Saint-Étienne » and « ST ETIENNE ». Two
// spellings that are the same once folded for matching (normaliseName: case, accents, ligatures, punctuation and
// spacing, particles; « St »/« Ste » read as « Saint »/« Sainte ») say the same thing: the richer one is kept — accents
// first, then mixed case, then the longer (unabbreviated) one — and the stored one on a tie. Anything else is news:
// the given spelling replaces the stored one. Nothing given (null, an empty cell) never erases.
import { compactName } from "./parsing/normaliseName.ts";

const NOT_LETTER_BEFORE = "(?<![\\p{L}\\p{N}])";
const NOT_LETTER_AFTER = "(?![\\p{L}\\p{N}])";
/** Abbreviations that say the same as the word: « St-Étienne » is « Saint-Étienne ». */
const ABBREVIATIONS: [RegExp, string][] = [
  [new RegExp(`${NOT_LETTER_BEFORE}st${NOT_LETTER_AFTER}\\.?`, "giu"), "saint"],
  [new RegExp(`${NOT_LETTER_BEFORE}ste${NOT_LETTER_AFTER}\\.?`, "giu"), "sainte"],
];

export const expandAbbreviations = (s: string) => ABBREVIATIONS.reduce((text, [word, full]) => text.replace(word, full), s);

/** The spelling folded: two spellings of one key say the same. */
export const spellingKey = (s: string) => compactName(expandAbbreviations(s));

/** How much a spelling says beyond its key, compared in order: accented letters and ligatures, mixed case, length. */
function richness(s: string): [number, number, number] {
  const accents = (s.normalize("NFD").match(/\p{M}/gu)?.length ?? 0) + (s.match(/[œŒæÆß]/g)?.length ?? 0);
  const mixedCase = /\p{Ll}/u.test(s) && /\p{Lu}/u.test(s) ? 1 : 0;
  return [accents, mixedCase, s.length];
}

/** True when `candidate` says strictly more than `kept`. */
export function isRicher(candidate: string, kept: string): boolean {
  const [a, b] = [richness(candidate), richness(kept)];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return false;
}

/** The stored spelling, unless the given one says something else, or the same better. */
export function chooseSpelling(stored: string | null, given: string | null): string | null {
  if (given === null) return stored;
  if (stored === null || spellingKey(stored) !== spellingKey(given)) return given;
  return richerSpelling(stored, given);
}

/** The stored spelling, or the given one where it writes the same better: a row that does not say the value itself. */
export function richerSpelling(stored: string, given: string): string {
  return spellingKey(stored) === spellingKey(given) && isRicher(given, stored) ? given : stored;
}
