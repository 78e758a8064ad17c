// The communes of France, offline (built by scripts/build-communes.ts), and the resolution of
// what a listing says about a place — INSEE code, or postal code + commune name — to one
// commune INSEE code. Ambiguity is reported with the candidates, never guessed.
// Data: GeoNames (geonames.org), CC BY 4.0; INSEE COG / Etalab, Licence Ouverte 2.0.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import type { CommuneQuery } from "../imports/parsing/commune.ts";
import { normaliseCommuneName } from "./normaliseCommuneName.ts";

export const COMMUNES_ATTRIBUTION =
  "GeoNames (geonames.org), CC BY 4.0 ; INSEE COG / Etalab (découpage administratif), Licence Ouverte 2.0";

/** How the point was obtained: exact GeoNames point, or an approximation (≈ centre of the commune). */
export type GeoQuality = "exact" | "parent" | "postcode" | "epci" | "dept" | "manual";

export interface CommuneRecord {
  inseeCode: string;
  name: string;
  department: string;
  postalCodes: string[];
  population: number;
  lat: number | null;
  lng: number | null;
  quality: GeoQuality | null;
  /**
   * commune: a commune actuelle; arrondissement: of Paris, Lyon or Marseille (parent = the city);
   * delegated: commune déléguée or associée (parent = its commune); former: the old code of a
   * merged commune (parent = the commune it joined).
   */
  kind: "commune" | "arrondissement" | "delegated" | "former";
  parent: string | null;
}

export interface CommuneIndex {
  /** One record per INSEE code (the commune actuelle when a déléguée shares its code). */
  byCode: ReadonlyMap<string, CommuneRecord>;
  byPostalCode: ReadonlyMap<string, readonly CommuneRecord[]>;
  byName: ReadonlyMap<string, readonly CommuneRecord[]>;
  /** Communes actuelles and arrondissements: what a patient or a GP is placed in. */
  current: readonly CommuneRecord[];
}

export interface ResolvedCommune {
  inseeCode: string;
  name: string;
  department: string;
  lat: number | null;
  lng: number | null;
  quality: GeoQuality | null;
  /** The query's postal code when it is one of the commune's; null when none was given or it is not (said in `remark`). */
  postalCode: string | null;
  /** Something the query said that the commune contradicts (a postal code that is not the commune's): the commune
   * of the INSEE code is kept, the caller tells the user. */
  remark?: string;
}

type Row = [string, string, string, string, number, number | null, number | null, GeoQuality | "", string];

const CITIES_WITH_ARRONDISSEMENTS = new Set(["75056", "69123", "13055"]);
const MAX_LISTED = 6;

let cached: CommuneIndex | null = null;

export function loadCommunes(): CommuneIndex {
  if (cached) return cached;
  const json = new URL("./communes.json", import.meta.url);
  const gz = new URL("./communes.json.gz", import.meta.url);
  const text = existsSync(fileURLToPath(json))
    ? readFileSync(json, "utf8")
    : gunzipSync(readFileSync(gz)).toString("utf8");
  const rows = JSON.parse(text) as Row[];

  const byCode = new Map<string, CommuneRecord>();
  const byPostalCode = new Map<string, CommuneRecord[]>();
  const byName = new Map<string, CommuneRecord[]>();
  const push = (map: Map<string, CommuneRecord[]>, key: string, record: CommuneRecord) => {
    const list = map.get(key);
    if (list) list.push(record);
    else map.set(key, [record]);
  };
  for (const [inseeCode, name, department, postal, population, lat, lng, quality, parent] of rows) {
    const kind: CommuneRecord["kind"] = !parent
      ? "commune"
      : name === ""
        ? "former"
        : CITIES_WITH_ARRONDISSEMENTS.has(parent)
          ? "arrondissement"
          : "delegated";
    const record: CommuneRecord = {
      inseeCode,
      name,
      department,
      postalCodes: postal ? postal.split(" ") : [],
      population,
      lat,
      lng,
      quality: quality || null,
      kind,
      parent: parent || null,
    };
    const known = byCode.get(inseeCode);
    if (!known || (known.kind !== "commune" && kind === "commune")) byCode.set(inseeCode, record);
    if (kind === "former") continue;
    for (const cp of record.postalCodes) push(byPostalCode, cp, record);
    push(byName, normaliseCommuneName(name), record);
  }
  const current = [...byCode.values()].filter((r) => r.kind === "commune" || r.kind === "arrondissement");
  cached = { byCode, byPostalCode, byName, current };
  return cached;
}

export function resolveCommune(query: CommuneQuery): ResolvedCommune | { error: string } {
  const found = findCommune(query);
  if ("error" in found) return found;
  const postalCode = normalisePostalCode(query.postalCode ?? "") || null;
  const given = query.inseeCode ? normaliseInseeCode(query.inseeCode.trim()) : null;
  if (!postalCode || isPostalCodeOf(postalCode, [found.inseeCode, ...(given ? [given] : [])], loadCommunes())) return { ...found, postalCode };
  // A postal code that is not the commune's (an INSEE code in the postal code column, « 42 », a typo): not stored with
  // the patient's address.
  const why = /^\d{5}$/.test(postalCode) ? `pas un code postal de ${found.name} (${found.inseeCode})` : "code postal invalide (5 chiffres attendus)";
  return { ...found, postalCode: null, remark: found.remark ?? `code postal « ${postalCode} » : ${why} ; commune retenue par son nom, code postal ignoré` };
}

/** One of these communes' postal codes (a former or delegated commune's, an arrondissement's, included). */
function isPostalCodeOf(postalCode: string, inseeCodes: string[], index: CommuneIndex): boolean {
  if (inseeCodes.some((c) => index.byCode.get(c)?.postalCodes.includes(postalCode))) return true;
  return (index.byPostalCode.get(postalCode) ?? []).some((r) => inseeCodes.some((c) => r.inseeCode === c || r.parent === c || currentOf(r, index).inseeCode === c));
}

function findCommune(query: CommuneQuery): Omit<ResolvedCommune, "postalCode"> | { error: string } {
  const index = loadCommunes();
  const inseeCode = query.inseeCode?.trim() ?? "";
  const postalCode = normalisePostalCode(query.postalCode ?? "");
  const name = query.communeName?.trim() ?? "";

  let inseeError: string | null = null;
  if (inseeCode) {
    const code = normaliseInseeCode(inseeCode);
    if (!code) {
      inseeError = `code INSEE invalide : « ${inseeCode} » (5 caractères attendus, 2A/2B pour la Corse)`;
    } else {
      const record = index.byCode.get(code);
      if (record) {
        const commune = resolved(currentOf(record, index));
        if (postalCode && !record.postalCodes.includes(postalCode) && !index.byCode.get(commune.inseeCode)?.postalCodes.includes(postalCode)) {
          commune.remark = `code postal ${postalCode} : ce n'est pas un code postal de ${commune.name} (${commune.inseeCode}) ; commune du code INSEE retenue, code postal ignoré`;
        } else if (name && !namesCommune(normaliseCommuneName(name), [record, currentOf(record, index), index.byCode.get(record.parent ?? "")])) {
          commune.remark = `commune « ${name} » : ce n'est pas le nom de la commune du code INSEE ${commune.inseeCode} (${commune.name}) ; commune du code INSEE retenue`;
        }
        return commune;
      }
      inseeError = `code INSEE inconnu : « ${inseeCode} »${index.byPostalCode.has(code) ? " (c'est un code postal ?)" : ""}`;
    }
    if (!postalCode && !name) return { error: inseeError };
  }

  const nameKey = name ? normaliseCommuneName(name) : "";
  if (postalCode) {
    const candidates = index.byPostalCode.get(postalCode) ?? [];
    if (nameKey) {
      const matches = candidates.filter((c) => sameName(c, nameKey));
      if (matches.length) return pick(matches, index, postalCode, `« ${name} » (${postalCode})`);
      // The postal code may be a CEDEX or wrong: the name alone, within the department.
      const department = departmentOfPostalCode(postalCode);
      const inDepartment = (index.byName.get(nameKey) ?? []).filter((c) => department.includes(c.department));
      if (inDepartment.length) return pick(inDepartment, index, postalCode, `« ${name} » (${postalCode})`);
      if (!candidates.length) return { error: withInsee(`code postal inconnu : « ${postalCode} » et commune « ${name} » introuvable`, inseeError) };
      // A locality of La Poste (« STE CLOTILDE », « LES MILLES ») rather than a commune: when its postal code serves one
      // commune only, that commune, said in a remark.
      const only = index.byName.has(nameKey) ? { error: "another commune's name" } : pick(candidates, index, postalCode, `code postal ${postalCode}`);
      if (!("error" in only)) {
        only.remark = `commune « ${name} » : pas une commune du code postal ${postalCode} (une localité ?) ; seule commune de ce code postal retenue : ${only.name} (${only.inseeCode})`;
        return only;
      }
      return {
        error: withInsee(
          `commune introuvable : « ${name} » pour le code postal ${postalCode} (communes de ce code postal : ${list(distinctCurrent(candidates, index))})`,
          inseeError,
        ),
      };
    }
    if (!candidates.length) return { error: withInsee(`code postal inconnu : « ${postalCode} »`, inseeError) };
    return pick(candidates, index, postalCode, `code postal ${postalCode}`);
  }

  const matches = index.byName.get(nameKey) ?? [];
  if (!matches.length) return { error: withInsee(`commune introuvable : « ${name} »`, inseeError) };
  return pick(matches, index, null, `« ${name} »`);
}

/** "1004" (Excel dropped the zero) → "01004"; "2a004" → "2A004"; null if not an INSEE code. */
export function normaliseInseeCode(value: string): string | null {
  const code = value.replace(/\s/g, "").toUpperCase();
  if (/^\d{4}$/.test(code)) return `0${code}`;
  return /^(\d{5}|2[AB]\d{3})$/.test(code) ? code : null;
}

/** A postal code as written, without spaces; one that lost its leading zero in Excel ("1000" for 01000) gets it back. */
export function normalisePostalCode(value: string): string {
  const v = value.replace(/\s/g, "");
  return /^\d{4}$/.test(v) ? `0${v}` : v;
}

function departmentOfPostalCode(cp: string): string[] {
  if (cp.startsWith("97") || cp.startsWith("98")) return [cp.slice(0, 3)];
  if (cp.startsWith("20")) return ["2A", "2B"];
  return [cp.slice(0, 2)];
}

/** The name given is one of these communes' (or starts with it: « PARIS 11 », « SAINT ETIENNE CEDEX 2 »). */
function namesCommune(nameKey: string, records: (CommuneRecord | undefined)[]): boolean {
  return records.some((r) => r && r.name && (sameName(r, nameKey) || nameKey.startsWith(`${normaliseCommuneName(r.name)} `)));
}

function sameName(record: CommuneRecord, nameKey: string): boolean {
  const key = normaliseCommuneName(record.name);
  return key === nameKey || key.replace(/ /g, "") === nameKey.replace(/ /g, "");
}

/** The commune a record stands for today: a déléguée or a former code → its commune. */
function currentOf(record: CommuneRecord, index: CommuneIndex): CommuneRecord {
  if ((record.kind === "delegated" || record.kind === "former") && record.parent) {
    const parent = index.byCode.get(record.parent);
    if (parent && parent.kind === "commune") return parent;
  }
  return record;
}

function distinctCurrent(records: readonly CommuneRecord[], index: CommuneIndex): CommuneRecord[] {
  const seen = new Map<string, CommuneRecord>();
  for (const r of records) {
    const c = currentOf(r, index);
    seen.set(c.inseeCode, c);
  }
  return [...seen.values()];
}

function pick(
  records: readonly CommuneRecord[],
  index: CommuneIndex,
  postalCode: string | null,
  what: string,
): Omit<ResolvedCommune, "postalCode"> | { error: string } {
  let found = distinctCurrent(records, index);
  // Paris, Lyon, Marseille: the arrondissement of this postal code rather than the whole city.
  if (postalCode) {
    const arrondissements = found.flatMap((c) =>
      CITIES_WITH_ARRONDISSEMENTS.has(c.inseeCode)
        ? index.current.filter((a) => a.parent === c.inseeCode && a.postalCodes.includes(postalCode))
        : [],
    );
    if (arrondissements.length) {
      found = [
        ...found.filter((c) => !CITIES_WITH_ARRONDISSEMENTS.has(c.inseeCode) && !arrondissements.some((a) => a.inseeCode === c.inseeCode)),
        ...arrondissements,
      ];
      found = [...new Map(found.map((c) => [c.inseeCode, c])).values()];
    }
  }
  if (found.length === 1) return resolved(found[0]);
  return { error: `commune ambiguë : ${what} correspond à ${found.length} communes : ${list(found)} ; précisez le code INSEE` };
}

function list(records: readonly CommuneRecord[]): string {
  const sorted = [...records].sort((a, b) => a.inseeCode.localeCompare(b.inseeCode));
  const shown = sorted.slice(0, MAX_LISTED).map((r) => `${r.name} (${r.inseeCode})`);
  return sorted.length > MAX_LISTED ? `${shown.join(", ")} et ${sorted.length - MAX_LISTED} autres` : shown.join(", ");
}

function withInsee(message: string, inseeError: string | null): string {
  return inseeError ? `${inseeError} ; ${message}` : message;
}

function resolved(r: CommuneRecord): Omit<ResolvedCommune, "postalCode"> {
  return { inseeCode: r.inseeCode, name: r.name, department: r.department, lat: r.lat, lng: r.lng, quality: r.quality };
}
