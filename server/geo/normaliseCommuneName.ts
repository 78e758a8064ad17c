// Folds a commune name for matching: "ST-ÉTIENNE", "Saint Etienne" and "SAINT ETIENNE CEDEX 2"
// agree; La Poste's "HAVRE (LE)" is "le havre"; "PARIS 15EME", "Paris 15e Arrondissement" and
// "PARIS 15" agree.
import { normaliseText } from "../imports/parsing/normaliseText.ts";

export function normaliseCommuneName(name: string): string {
  let s = name.trim();
  const article = /\s*\((le|la|les|l')\)\s*$/i.exec(s);
  if (article) s = `${article[1]} ${s.slice(0, article.index)}`;
  return normaliseText(s)
    .replace(/\bcedex\b(\s+\d+)?/g, " ")
    .replace(/\bste\b/g, "sainte")
    .replace(/\bst\b/g, "saint")
    .replace(/\b0*(\d{1,2})\s*(er|e|eme|ieme|em)?\b(\s+(arrondissement|arrdt|arr))?/g, "$1")
    .replace(/\s+/g, " ")
    .trim();
}
