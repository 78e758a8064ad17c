// The NIR is kept only as a keyed hash (patientIdentity.ts): a row kept as the listing gave it (a rejected row, the
// preview of the first rows) has its NIR masked before it is stored.
//
// A masked NIR keeps its first character and its length, every other character a bullet: « 1•••••••••••••• ».
// The fund recognises the column and sees that the row had a number (and whether it was complete: 13 or 15
// characters), and finds the row in its own file by the line and the other cells. The first character is the sex
// (or 3, 4, 7, 8 for a temporary number), which the row usually gives anyway; no digit of the birth date, place or
// order is kept, so the number cannot be rebuilt.

/** 13 characters (no key) or 15, with 2A/2B for Corsica, first the sex or a temporary number's 3, 4, 7, 8; written
 * with or without spaces, dots, dashes. A phone never starts so with this length (0…, +…, 0033…). */
const NIR_SHAPE = /^[1-478][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{6}(?:[0-9]{2})?$/i;
const SEPARATORS = /[\s.\-]/g;
const BULLET = "•";

export function maskNir(value: string): string {
  const compact = value.replace(SEPARATORS, "");
  return compact === "" ? "" : compact[0] + BULLET.repeat(compact.length - 1);
}

export function looksLikeNir(value: string): boolean {
  return NIR_SHAPE.test(value.replace(SEPARATORS, ""));
}

type ColumnMapping = Record<string, number | number[] | undefined>;

/**
 * The cells of a raw row with the NIR masked: the column mapped to `nir`, whatever it holds (an invalid NIR is often a
 * real one with a typo), and any cell shaped like a NIR in a column mapped to nothing (a second NIR column, a listing
 * whose NIR header was not recognised). Cells of the other mapped columns are left as they are.
 */
export function maskNirCells(cells: readonly string[], mapping: ColumnMapping | null | undefined): string[] {
  const nirColumn = typeof mapping?.nir === "number" ? mapping.nir : undefined;
  const mapped = new Set(Object.values(mapping ?? {}).flatMap((c) => (c === undefined ? [] : [c].flat())));
  return cells.map((cell, i) => {
    if (i === nirColumn) return maskNir(cell.trim());
    if (!mapped.has(i) && looksLikeNir(cell)) return maskNir(cell.trim());
    return cell;
  });
}
