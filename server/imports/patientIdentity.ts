// Who a listing row is: the keys under which listings merge a person, and when two identities are the same
// person although their keys differ (one listing gives the NIR or the birth name, the next does not).
import { createHmac } from "node:crypto";
import { env } from "../env.ts";
import { compactName } from "./parsing/normaliseName.ts";
import type { PatientRow } from "./types.ts";

export function nirHash(nir: string): string {
  return createHmac("sha256", env().SESSION_SECRET).update(`nir:${nir}`).digest("base64url");
}

/** The identity fields the merge key is made of. */
export type PatientIdentity = Pick<PatientRow, "nir" | "externalId" | "lastName" | "birthName" | "firstName" | "birthDate">;

/** The key under which listings merge a person: NIR (keyed hash), else the fund identifier, else folded name + birth date. */
export function matchKeyOf(row: PatientIdentity, names = nameKeysOf(row)): string {
  if (row.nir) return `nir:${nirHash(row.nir)}`;
  if (row.externalId) return `ext:${row.externalId}`;
  return `pk:${names.birthKey ?? names.usageKey}`;
}

/** How much a merge key says: a NIR more than a fund identifier, that more than a name. */
export const keyStrength = (matchKey: string) => (matchKey.startsWith("nir:") ? 3 : matchKey.startsWith("ext:") ? 2 : 1);

/** What tells people apart when their merge keys differ. */
export interface IdentityKeys {
  nirHash: string | null;
  externalId: string | null;
  /** Folded birth name + first name + birth date, when the birth name is known. */
  birthKey: string | null;
  /** The same with the name in use (the birth name when it is the only one given). */
  usageKey: string;
}

/** personKey of each name, the first name folded once. */
export function nameKeysOf(p: Pick<PatientIdentity, "lastName" | "birthName" | "firstName" | "birthDate">): Pick<IdentityKeys, "birthKey" | "usageKey"> {
  const rest = `|${compactName(p.firstName ?? "")}|${p.birthDate.trim()}`;
  const usageKey = `${compactName(p.lastName)}${rest}`;
  return { birthKey: p.birthName ? (p.birthName === p.lastName ? usageKey : `${compactName(p.birthName)}${rest}`) : null, usageKey };
}

/**
 * The same person under two different merge keys? The NIR decides when both have one; two different fund
 * identifiers tell; then the names and birth date: the birth names when both are known (a name in
 * use changes with marriage), else any name of one equal to any name of the other.
 */
export function samePerson(a: IdentityKeys, b: IdentityKeys): boolean {
  if (a.nirHash && b.nirHash) return a.nirHash === b.nirHash;
  if (a.externalId && b.externalId) return a.externalId === b.externalId;
  if (a.birthKey && b.birthKey) return a.birthKey === b.birthKey;
  const names = [a.birthKey, a.usageKey];
  return names.includes(b.usageKey) || (b.birthKey !== null && names.includes(b.birthKey));
}
