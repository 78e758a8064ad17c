// Checks an RPPS number: 11 digits whose last one is a Luhn check digit (verified on real RPPS
// numbers of the Annuaire Santé). Also accepted: the 12-character national identifier
// "8" + RPPS used by the Annuaire Santé and CPS cards.

export type RppsCheck = { ok: true; rpps: string } | { ok: false; reason: string };

export function validateRpps(value: string): RppsCheck {
  let rpps = value.replace(/[\s.\-]/g, "");
  if (rpps === "") return { ok: false, reason: "RPPS manquant" };
  if (/^8\d{11}$/.test(rpps)) rpps = rpps.slice(1);
  if (!/^\d{11}$/.test(rpps)) return { ok: false, reason: `RPPS invalide : « ${value.trim()} » (11 chiffres attendus)` };
  if (!luhnValid(rpps)) return { ok: false, reason: `RPPS invalide : « ${value.trim()} » (clé de contrôle incorrecte)` };
  return { ok: true, rpps };
}

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
