// Which patient each row of a batch is. Rows of the same person are one person of the batch (the later row
// wins), and each person is matched to a patient the organisation already knows: by merge key, or else by name
// when this listing keys the person differently (one listing gives the NIR or the birth name, another not).
import type pg from "pg";
import { keyStrength, matchKeyOf, nameKeysOf, samePerson, type IdentityKeys } from "./patientIdentity.ts";
import type { PatientRow } from "./types.ts";
import { chooseSpelling, richerSpelling } from "./chooseSpelling.ts";

type Identity = IdentityKeys & { matchKey: string };

/** One person of the batch: the row written and the identifiers of every row that named them. */
export interface PersonOfBatch extends Identity {
  row: PatientRow;
  /** The key the patient is stored under once written: their own, or the known patient's. */
  writeKey: string;
  /** A known patient found by name whose key this batch makes stronger (a NIR where there was a name). */
  raiseKeyTo: string | null;
  /** The known patient as stored: the flags this listing does not give, and the spellings it may keep (applyPatientBatch). */
  known: KnownPatient | null;
}

/** What a known patient keeps when a later listing does not say it, or says it the same. */
export interface KnownPatient {
  ald: boolean;
  css: boolean;
  hasMt: boolean;
  lastName: string;
  usageKey: string;
  birthName: string | null;
  firstName: string | null;
  address: string | null;
  inseeCode: string | null;
}

export function identityOf(row: PatientRow): Identity {
  const names = nameKeysOf(row);
  const matchKey = matchKeyOf(row, names);
  return { matchKey, nirHash: row.nir ? matchKey.slice(4) : null, externalId: row.externalId, birthKey: names.birthKey, usageKey: names.usageKey };
}

/** People by each of their keys: the one person an identity is, or null when nobody (or more than one) is. */
function peopleIndex<T extends Identity>() {
  const byMatchKey = new Map<string, T>();
  // most names belong to one person: an array only for namesakes (an import holds thousands of them per batch)
  const byName = new Map<string, T | T[]>();
  const named = (key: string | null): T[] => {
    const found = key === null ? undefined : byName.get(key);
    return found === undefined ? [] : Array.isArray(found) ? found : [found];
  };
  const addName = (key: string | null, p: T) => {
    if (key === null) return;
    const found = byName.get(key);
    if (found === undefined) byName.set(key, p);
    else if (Array.isArray(found)) { if (!found.includes(p)) found.push(p); }
    else if (found !== p) byName.set(key, [found, p]);
  };
  return {
    /** `keys`: the identity of one more row of `p` (each merge key `p` was named by finds them). */
    add(p: T, keys: Identity = p) {
      byMatchKey.set(keys.matchKey, p);
      addName(keys.birthKey, p);
      if (keys.usageKey !== keys.birthKey) addName(keys.usageKey, p);
    },
    find(who: Identity): T | null {
      const direct = byMatchKey.get(who.matchKey);
      if (direct) return direct;
      let same: T | null = null;
      for (const p of who.usageKey === who.birthKey ? named(who.usageKey) : [...named(who.birthKey), ...named(who.usageKey)]) {
        if (p === same || !samePerson(p, who)) continue;
        if (same) return null; // two people answer to it: nobody is chosen
        same = p;
      }
      return same;
    },
  };
}

/** The batch's people, and for each row (by index) its person. */
export async function resolvePatients(client: pg.PoolClient, organisationId: string, rows: PatientRow[]) {
  const inBatch = peopleIndex<PersonOfBatch>();
  const personOfRow: PersonOfBatch[] = [];
  for (const row of rows) {
    const who = identityOf(row);
    const p = inBatch.find(who);
    if (p) {
      // the usage name, and its key, of the row that gave one
      const usageKey = row.usageNameGiven || !p.row.usageNameGiven ? who.usageKey : p.usageKey;
      Object.assign(p, { row: mergeRows(p.row, row), nirHash: who.nirHash ?? p.nirHash, externalId: who.externalId ?? p.externalId, birthKey: who.birthKey ?? p.birthKey, usageKey });
      if (keyStrength(who.matchKey) > keyStrength(p.matchKey)) p.matchKey = who.matchKey;
      inBatch.add(p, who);
      personOfRow.push(p);
    } else {
      const person: PersonOfBatch = { row, ...who, writeKey: who.matchKey, raiseKeyTo: null, known: null };
      inBatch.add(person);
      personOfRow.push(person);
    }
  }
  const people = [...new Set(personOfRow)];
  for (const p of people) p.writeKey = p.matchKey;

  // The organisation's patients sharing a key with the batch, in one statement: each key looked up on its own index
  // (a lateral subquery behind OFFSET 0, which PostgreSQL cannot turn into another join). Written as one scan of the
  // organisation's patients filtered by the keys, it was what PostgreSQL chose while the table's statistics were
  // those of an empty table (a fresh database, a new organisation): each batch read every patient imported so far.
  const names = [...new Set(people.flatMap((p) => [p.birthKey, p.usageKey].filter((k): k is string => k !== null)))];
  const { rows: found } = await client.query<Identity & KnownPatient & { id: string }>({
    name: "import-find-patients",
    text: [["matchKey", "$2"], ["usageKey", "$3"], ["birthKey", "$3"]]
      .map(([column, keys]) => `SELECT p.* FROM unnest(${keys}::text[]) AS k(key), LATERAL (SELECT "id", "matchKey", "nirHash", "externalId", "birthKey", "usageKey",
          "ald", "css", "hasMt", "lastName", "birthName", "firstName", "address", "inseeCode" FROM "Patient" WHERE "organisationId" = $1 AND "${column}" = k.key OFFSET 0) p`)
      .join(" UNION "),
    values: [organisationId, people.map((p) => p.matchKey), names],
  });
  const known = peopleIndex<Identity & KnownPatient & { id: string }>();
  found.forEach((k) => known.add(k));
  const byKey = new Map(found.map((k) => [k.matchKey, k]));
  const personOfKnown = new Map<string, PersonOfBatch>();
  // Those found by their own key first, then by name: the batch's people are not one another (else they would be one
  // person), so a known patient already someone's is not another's, who is a new patient.
  for (const p of [...people.filter((p) => byKey.has(p.matchKey)), ...people.filter((p) => !byKey.has(p.matchKey))]) {
    const k = byKey.get(p.matchKey) ?? known.find(p);
    if (!k || personOfKnown.has(k.id)) continue;
    personOfKnown.set(k.id, p);
    p.writeKey = k.matchKey;
    p.known = { ald: k.ald, css: k.css, hasMt: k.hasMt, lastName: k.lastName, usageKey: k.usageKey, birthName: k.birthName, firstName: k.firstName, address: k.address, inseeCode: k.inseeCode };
    // a key that says more than the known one replaces it (it is nobody's: else the patient would have been found by it)
    p.raiseKeyTo = k.matchKey !== p.matchKey && keyStrength(p.matchKey) > keyStrength(k.matchKey) ? p.matchKey : null;
  }
  return { people, personOfRow };
}

/** Two rows of one person in one batch, merged as a known patient is by a later listing (applyPatientBatch): what
 * the later row gives wins, what it does not give is kept, a spelling of the same keeps the richer (keptSpellings);
 * its phones first, then the earlier row's. */
function mergeRows(earlier: PatientRow, later: PatientRow): PatientRow {
  const merged = { ...earlier };
  for (const [k, v] of Object.entries(later) as [keyof PatientRow, PatientRow[keyof PatientRow]][]) if (v !== null) (merged as Record<string, unknown>)[k] = v;
  if (later.inseeCode !== earlier.inseeCode) Object.assign(merged, { address: later.address, postalCode: later.postalCode });
  Object.assign(merged, keptSpellings(earlier, later), { usageNameGiven: earlier.usageNameGiven || later.usageNameGiven });
  merged.optOut = earlier.optOut || later.optOut;
  merged.phones = [...later.phones, ...earlier.phones.filter((p) => !later.phones.some((q) => q.e164 === p.e164))];
  merged.notes = [...earlier.notes, ...later.notes];
  return merged;
}

type Spelled = Pick<PatientRow, "lastName" | "usageNameGiven" | "birthName" | "firstName" | "address" | "inseeCode">;

/**
 * The names and address a person keeps when a later row (or listing) names them again: what it does not give is kept,
 * what it gives the same (once folded for matching) keeps the richer spelling, anything else replaces. The name in use
 * is replaced only by a usage name: a row without one names the person by their birth name, which does not erase a
 * married name (a stored patient counts as having one: `usageNameGiven` true). The address is compared within one
 * commune: a move takes the new address.
 */
export function keptSpellings(known: Spelled, row: Spelled): Pick<PatientRow, "lastName" | "birthName" | "firstName" | "address"> {
  return {
    lastName: row.usageNameGiven || !known.usageNameGiven ? chooseSpelling(known.lastName, row.lastName)! : richerSpelling(known.lastName, row.lastName),
    birthName: chooseSpelling(known.birthName, row.birthName),
    firstName: chooseSpelling(known.firstName, row.firstName),
    address: row.inseeCode === known.inseeCode ? chooseSpelling(known.address, row.address) : row.address,
  };
}
