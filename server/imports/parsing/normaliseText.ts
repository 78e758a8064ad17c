// Folds text for comparisons (headers, commune names): lower case, accents and ligatures
// removed, every run of punctuation or spacing turned into a single space.
const LIGATURES: Record<string, string> = { œ: "oe", Œ: "oe", æ: "ae", Æ: "ae", ß: "ss" };

export function normaliseText(value: string): string {
  return value
    .replace(/[œŒæÆß]/g, (c) => LIGATURES[c] ?? c)
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}
