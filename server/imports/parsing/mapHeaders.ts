// Proposes which column of a listing holds which field, from the header row. Headers are
// compared in normalised form against the synonyms each fund uses; the coordinator confirms
// or corrects the proposal before the import runs.
import { GP_SYNONYMS, PATIENT_SYNONYMS } from "./headerSynonyms.ts";
import { normaliseText } from "./normaliseText.ts";

export type PatientField = keyof typeof PATIENT_SYNONYMS;
export type GpField = keyof typeof GP_SYNONYMS;
export type ListingKind = "patient" | "gp";

/** Fields that may span several columns, kept in order of preference. */
export type MultiColumnField = "phones" | "address";

export type ColumnMapping<F extends string> = { [K in F]?: K extends MultiColumnField ? number[] : number };
export type PatientMapping = ColumnMapping<PatientField>;
export type GpMapping = ColumnMapping<GpField>;

export interface HeaderMapping<F extends string> {
  mapping: ColumnMapping<F>;
  /** Headers (as written) of the columns left aside. */
  unmapped: string[];
  /** What is missing, in French, for the listing to be importable. */
  missingRequired: string[];
  /** false when a column was recognised only by a guess, two columns claim one field, or something is missing. */
  confident: boolean;
}

// Words that do not change what a column holds ("Nom du patient" = "Nom").
const FILLER = new Set(["du", "de", "des", "d", "la", "le", "l", "patient", "assure", "beneficiaire", "coord", "structure", "ps"]);
const PHONE_WORD = /^(tel|tel\d|telephone|telephone\d|portable|mobile|gsm|fixe|phone|cellulaire|port|telephones)$/;
const PHONE_EXCLUDED = /\b(medecin|mt|fax|telecopie|opposition|consentement|accord|cabinet)\b/;
const MOBILE_WORD = /\b(portable|mobile|gsm|cellulaire|port)\b/;
const FIXED_WORD = /\b(fixe|domicile)\b/;
const ADDRESS_EXCLUDED = /\b(mail|email|courriel|electronique|ip)\b/;

export function mapHeaders(headers: readonly string[], kind: "patient"): HeaderMapping<PatientField>;
export function mapHeaders(headers: readonly string[], kind: "gp"): HeaderMapping<GpField>;
export function mapHeaders(headers: readonly string[], kind: ListingKind): HeaderMapping<PatientField> | HeaderMapping<GpField> {
  return kind === "patient" ? mapWith<PatientField>(headers, PATIENT_SYNONYMS, "patient") : mapWith<GpField>(headers, GP_SYNONYMS, "gp");
}

/** What a (possibly hand-corrected) mapping still lacks, in French. */
export function missingRequiredFields(mapping: PatientMapping | GpMapping, kind: ListingKind): string[] {
  const has = (field: string) => {
    const v = (mapping as Record<string, number | number[] | undefined>)[field];
    return Array.isArray(v) ? v.length > 0 : v !== undefined;
  };
  const missing: string[] = [];
  if (kind === "patient") {
    if (!has("lastName") && !has("birthName")) missing.push("nom (nom d'usage ou de naissance)");
    if (!has("birthDate")) missing.push("date de naissance");
    if (!has("phones")) missing.push("au moins une colonne de téléphone");
    if (!has("inseeCode") && !(has("postalCode") && has("communeName"))) {
      missing.push("commune (code INSEE, ou code postal et nom de la commune)");
    }
  } else {
    if (!has("rpps")) missing.push("numéro RPPS");
    if (!has("lastName")) missing.push("nom");
    if (!has("inseeCode") && !(has("postalCode") && has("communeName")) && !(has("lat") && has("lng"))) {
      missing.push("lieu d'exercice (code INSEE, code postal et commune, ou latitude et longitude)");
    }
  }
  return missing;
}

function mapWith<F extends string>(
  headers: readonly string[],
  synonyms: Record<F, readonly string[]>,
  kind: ListingKind,
): HeaderMapping<F> {
  const fields = Object.keys(synonyms) as F[];
  const exact = new Map<string, F>();
  const loose = new Map<string, F>();
  for (const field of fields) {
    for (const s of synonyms[field]) {
      if (!exact.has(s)) exact.set(s, field);
      const l = stripFiller(s);
      if (l && !loose.has(l)) loose.set(l, field);
    }
  }

  const mapping: Record<string, number | number[]> = {};
  const unmapped: string[] = [];
  let confident = true;
  const phones: { column: number; rank: number }[] = [];

  headers.forEach((header, column) => {
    const h = normaliseText(header);
    if (h === "") return;
    let field: F | undefined = exact.get(h);
    if (!field && fields.includes("phones" as F) && isPhoneHeader(h)) {
      phones.push({ column, rank: MOBILE_WORD.test(h) ? 0 : FIXED_WORD.test(h) ? 2 : 1 });
      return;
    }
    if (!field) field = loose.get(stripFiller(h)); // "Nom du patient" → "nom"
    if (!field && fields.includes("address" as F) && /^(adresse|adr|complement adresse|ligne adresse)\b/.test(h) && !ADDRESS_EXCLUDED.test(h)) {
      field = "address" as F;
      confident = false;
    }
    if (!field) {
      unmapped.push(header);
      return;
    }
    if (field === "address") {
      mapping.address = [...((mapping.address as number[] | undefined) ?? []), column];
    } else if (mapping[field] === undefined) {
      mapping[field] = column;
    } else {
      unmapped.push(header); // a second column for the same field: the coordinator decides
      confident = false;
    }
  });
  if (phones.length) mapping.phones = [...phones].sort((a, b) => a.rank - b.rank).map((p) => p.column);

  const result = mapping as ColumnMapping<F>;
  const missingRequired = missingRequiredFields(result as PatientMapping | GpMapping, kind);
  return { mapping: result, unmapped, missingRequired, confident: confident && missingRequired.length === 0 };
}

function isPhoneHeader(h: string): boolean {
  if (PHONE_EXCLUDED.test(h)) return false;
  const words = h.split(" ");
  if (words.some((w) => PHONE_WORD.test(w))) return true;
  return /^(num|numero|n|no) (de )?tel/.test(h);
}

function stripFiller(h: string): string {
  return h
    .split(" ")
    .filter((w) => !FILLER.has(w))
    .join(" ");
}
