// Synthetic patient listings of any size (the demo campaign, the tests, the import benchmark), shaped like a CPAM export (";" Windows-1252 CRLF),
// with a share of the usual traps: duplicates, bad phones, bad dates, overseas numbers, footers.
// Deterministic for a given seed. Used by the kill/resume test and the import benchmark.
import iconv from "iconv-lite";

const LAST = ["MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND", "LEROY", "MOREAU", "SIMON", "LAURENT", "LEFÈVRE", "MICHEL", "GARCIA", "CŒUR", "D'ARTAGNAN", "FAURE", "ROUSSEL", "BLANC"];
const FIRST = ["Marie", "Jean", "Pierre", "Michel", "André", "Philippe", "Nathalie", "Isabelle", "Sylvie", "Éric", "Françoise", "Noël", "Chloé", "Lœtitia", "Zoé"];
/** A national spread (the benchmark's and the tests' default): the mainland, Corsica and two overseas departments, with their
 * own numbers and time zones. */
const SPREAD_COMMUNES = ["42218", "42095", "42279", "42071", "01053", "75115", "69381", "13055", "2A004", "97411", "97209", "33063", "59350", "67482"];
export const LISTING_HEADER = "IDENTIFIANT;NOM;PRENOM;DATE_NAISSANCE;SEXE;CODE_INSEE;TEL_PORTABLE;TEL_FIXE;ALD;CSS";

export function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

export interface GeneratedListing {
  text: string;
  rows: number;
  /** Distinct patients among the rows that should be accepted. */
  expectedBadRows: number;
}

/** One data line; `i` numbers the patient (duplicates reuse an earlier i). */
export function listingLine(i: number, rand: () => number, communes: readonly string[] = SPREAD_COMMUNES): string {
  const pick = <T>(a: readonly T[]) => a[Math.floor(rand() * a.length)];
  const d = 1 + Math.floor(rand() * 28);
  const m = 1 + Math.floor(rand() * 12);
  const y = 1930 + Math.floor(rand() * 75);
  const insee = pick(communes);
  const overseas = insee.startsWith("974") ? "0692" : insee.startsWith("972") ? "0696" : "06";
  const digits = String(10_000_000 + i).slice(-8);
  const mobile = overseas === "06" ? `06 ${digits.slice(0, 2)} ${digits.slice(2, 4)} ${digits.slice(4, 6)} ${digits.slice(6, 8)}` : `${overseas} ${digits.slice(2, 4)} ${digits.slice(4, 6)} ${digits.slice(6, 8)}`;
  return [`P${i}`, pick(LAST), pick(FIRST), `${String(d).padStart(2, "0")}/${String(m).padStart(2, "0")}/${y}`, rand() < 0.5 ? "F" : "M", insee, mobile, rand() < 0.3 ? "04 77 12 34 56" : "", rand() < 0.6 ? "O" : "N", rand() < 0.2 ? "O" : "N"].join(";");
}

/** `communes`: the INSEE codes the patients live in (a fund's listing for a CPTS covers its territory). */
export function generateListing(rows: number, seed = 42, communes: readonly string[] = SPREAD_COMMUNES): GeneratedListing {
  const rand = rng(seed);
  const lines = [LISTING_HEADER];
  let bad = 0;
  for (let i = 1; i <= rows; i++) {
    const r = rand();
    if (r < 0.01) {
      lines.push(`P${i};PETIT;Luc;11/11/1955;M;42218;06 12 34;;O;N`); // no valid phone
      bad += 1;
    } else if (r < 0.02) {
      lines.push(`P${i};FAURE;Léa;31/02/1950;F;42218;06 12 34 56 70;;O;N`); // impossible date
      bad += 1;
    } else if (r < 0.04 && i > 1) {
      lines.push(listingLine(Math.max(1, i - 1 - Math.floor(rand() * 50)), rng(seed + i), communes)); // duplicate of an earlier patient id
    } else lines.push(listingLine(i, rand, communes));
  }
  lines.push("TOTAL;" + rows);
  return { text: lines.join("\r\n") + "\r\n", rows, expectedBadRows: bad };
}

export function encodeCpam(text: string): Buffer {
  return iconv.encode(text, "windows-1252");
}
