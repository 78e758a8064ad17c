// Reads a yes/no cell: O/N, Oui/Non, 1/0, X/empty, TRUE/FALSE, VRAI/FAUX, Y/N, yes/no.
// Empty (or "non renseigné") is null: the listing says nothing.

export type ParsedFlag = { ok: true; value: boolean | null } | { ok: false; reason: string };

const TRUE = new Set(["o", "oui", "1", "x", "true", "vrai", "y", "yes", "v", "t", "ok"]);
const FALSE = new Set(["n", "non", "0", "false", "faux", "no", "f"]);
const UNKNOWN = new Set(["", "-", "nc", "nr", "nd", "na", "n a", "?", "inconnu", "non renseigne", "ne sait pas", "ns"]);

// NFD leaves ASCII as it is: most cells ("O", "N", "", "1") skip the Unicode normalisation.
const ASCII = /^[\x00-\x7f]*$/;

export function parseFlag(value: string): ParsedFlag {
  const key = (ASCII.test(value) ? value : value.normalize("NFD").replace(/[\u0300-\u036f]/g, ""))
    .toLowerCase()
    .replace(/[\s/.]+/g, " ")
    .trim();
  if (TRUE.has(key)) return { ok: true, value: true };
  if (FALSE.has(key)) return { ok: true, value: false };
  if (UNKNOWN.has(key)) return { ok: true, value: null };
  return { ok: false, reason: `valeur non reconnue : « ${value.trim()} » (attendu Oui/Non, O/N, 1/0, X ou vide)` };
}
