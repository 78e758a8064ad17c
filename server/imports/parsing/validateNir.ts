// Checks a NIR (numéro de sécurité sociale): 13 characters — digits, except the department
// positions 6-7 that may read 2A or 2B for Corsica — and a 2-digit key = 97 − (number mod 97),
// where 2A counts as 19 and 2B as 18 in the number.

export type NirCheck = { ok: true; nir: string } | { ok: false; reason: string };

export function validateNir(value: string): NirCheck {
  const nir = value.toUpperCase().replace(/[\s.\-]/g, "");
  if (nir === "") return { ok: false, reason: "NIR manquant" };
  if (/^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{6}$/.test(nir)) return { ok: false, reason: "NIR incomplet (clé manquante)" };
  if (!/^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}$/.test(nir)) return { ok: false, reason: "NIR invalide (15 caractères attendus)" };
  const body = nir.slice(0, 13).replace("2A", "19").replace("2B", "18");
  const key = Number(nir.slice(13));
  if (key !== 97 - Number(BigInt(body) % 97n)) return { ok: false, reason: "NIR invalide (clé de contrôle incorrecte)" };
  return { ok: true, nir };
}
