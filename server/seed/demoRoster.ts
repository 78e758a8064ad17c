// A synthetic GP roster for the demo, shaped like a CPTS export: three GPs in each commune of the CPTS's
// territory and of two towns next to it, and two MSP teams, so every demo patient gets proposals at a few
// kilometres. Imported through the real roster import path.
import { DEMO_TERRITORY } from "./demoTerritory.ts";

/** Andrézieux-Bouthéon and Saint-Chamond, next to the territory. */
const COMMUNES = [...DEMO_TERRITORY, "42005", "42207"];
const NAMES = ["MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU", "LAURENT", "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL", "FOURNIER", "GIRARD"];
const FIRST = ["Anne", "Paul", "Julie", "Marc", "Sophie", "Luc", "Claire", "Hugo", "Emma", "Louis"];
const TEAMS: Record<string, string> = { "42218": "MSP Saint-Étienne Centre", "42095": "MSP du Pays de Firminy" };

/** An 11-digit RPPS with a valid Luhn check digit. */
export function demoRpps(seq: number): string {
  const body = `1000${String(seq).padStart(6, "0")}`;
  for (let check = 0; check <= 9; check++) {
    const digits = body + check;
    let sum = 0;
    for (let i = 0; i < digits.length; i++) {
      let d = digits.charCodeAt(digits.length - 1 - i) - 48;
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    if (sum % 10 === 0) return digits;
  }
  throw new Error("unreachable");
}

export function generateDemoRoster(): string {
  const lines = ["RPPS;NOM;PRENOM;CODE_INSEE;MSP;ACCEPTE_NOUVEAUX;CAPACITE;ACCEPTE_ALD"];
  let seq = 1;
  COMMUNES.forEach((insee, c) => {
    for (let k = 0; k < 3; k++) {
      const team = k < 2 ? TEAMS[insee] ?? "" : "";
      const open = (c + k) % 4 !== 3;
      lines.push([demoRpps(seq), NAMES[seq % NAMES.length], FIRST[(seq + Math.floor(seq / NAMES.length)) % FIRST.length], insee, team, open ? "O" : "N", open ? String(3 + ((seq * 5) % 8)) : "0", k === 2 && c % 3 === 0 ? "N" : "O"].join(";"));
      seq += 1;
    }
  });
  return lines.join("\r\n") + "\r\n";
}
