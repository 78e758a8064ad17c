// Folds a person's name for matching only (names are stored as the listing gives them):
// upper case, accents and ligatures removed, apostrophes dropped, hyphens and punctuation
// turned into spaces, and particles glued to the word they introduce, so that
// "d'Artagnan-Dupré", "D ARTAGNAN DUPRE" and "DARTAGNAN-DUPRÉ" all give "DARTAGNAN DUPRE",
// and "de La Fontaine" gives "DELAFONTAINE" like "Delafontaine".

export const PARTICLES = new Set(["DE", "DU", "DES", "D", "LE", "LA", "LES", "L"]);
const LIGATURES: Record<string, string> = { œ: "oe", Œ: "OE", æ: "ae", Æ: "AE", ß: "ss" };

export function normaliseName(name: string): string {
  const words = name
    .replace(/[œŒæÆß]/g, (c) => LIGATURES[c] ?? c)
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toUpperCase()
    .replace(/['’‘`´]/g, "")
    .replace(/[^A-Z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean);
  const out: string[] = [];
  let prefix = "";
  for (const [i, word] of words.entries()) {
    if (PARTICLES.has(word) && i < words.length - 1) {
      prefix += word;
      continue;
    }
    out.push(prefix + word);
    prefix = "";
  }
  return out.join(" ");
}

/**
 * The key under which rows of a listing are taken for the same person: the names folded as
 * above with spaces removed (so "Jean-Pierre" = "JEAN PIERRE" = "Jeanpierre"), and the ISO
 * birth date.
 */
export function personKey(lastName: string, firstName: string, birthDate: string): string {
  return `${compactName(lastName)}|${compactName(firstName)}|${birthDate.trim()}`;
}

/** The name folded and without spaces, as in personKey. */
export const compactName = (s: string) => normaliseName(s).replace(/ /g, "");
