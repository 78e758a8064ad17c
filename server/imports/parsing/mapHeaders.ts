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
export const MULTI_COLUMN_FIELDS: readonly string[] = ["phones", "address"] satisfies MultiColumnField[];

/**
 * Why a mapping given to the import (the API's, the coordinator's correction) cannot be, in French, or null: an
 * unknown field, a list where one column is meant or the reverse, a column given to two fields. The console cannot
 * build such a mapping; an API caller can, and every row would then be rejected for a wrong reason.
 */
export function mappingProblem(mapping: Record<string, number | number[]>, kind: ListingKind, headers: readonly string[]): string | null {
  const fields = Object.keys(kind === "patient" ? PATIENT_SYNONYMS : GP_SYNONYMS);
  const owner = new Map<number, string>();
  for (const [field, value] of Object.entries(mapping)) {
    if (!fields.includes(field)) return `champ inconnu : « ${field} » (champs possibles : ${fields.join(", ")})`;
    const multi = MULTI_COLUMN_FIELDS.includes(field);
    if (multi !== Array.isArray(value)) return multi ? `« ${field} » prend une liste de colonnes, par exemple [3, 4]` : `« ${field} » prend une seule colonne`;
    for (const column of [value].flat()) {
      const other = owner.get(column);
      if (other !== undefined) return `la colonne ${column + 1}${headers[column] ? ` (« ${headers[column]} »)` : ""} est donnée deux fois : à « ${other} » et à « ${field} »`;
      owner.set(column, field);
    }
  }
  return null;
}

export type ColumnMapping<F extends string> = { [K in F]?: K extends MultiColumnField ? number[] : number };
export type PatientMapping = ColumnMapping<PatientField>;
export type GpMapping = ColumnMapping<GpField>;

export interface HeaderMapping<F extends string> {
  mapping: ColumnMapping<F>;
  /** Headers (as written) of the columns left aside. */
  unmapped: string[];
  /** What is missing, in French, for the listing to be importable. */
  missingRequired: string[];
  /** Why detection is unsure, in French, one sentence a column (what is missing is in `missingRequired`). */
  unsure: string[];
  /** The columns left aside that look like a field deciding who is called (opposition, médecin traitant, consent,
   * ALD, CSS): the coordinator must see them before the import runs. `reason` is also in `unsure`. */
  decisiveUnmapped: { header: string; reason: string }[];
  /** false when a column was recognised only by a guess, two columns claim one field, a column that may decide who
   * is called was not recognised, or something is missing. */
  confident: boolean;
}

// Words that do not change what a column holds ("Nom du patient" = "Nom", "Opposition au démarchage" = "Opposition
// démarchage", "IND_MT" = "Top MT" = "MT déclaré" = "MT", "Exonéré ALD" = "ALD").
const FILLER = new Set([
  "du", "de", "des", "d", "la", "le", "l", "au", "aux", "a", "en", "patient", "assure", "beneficiaire", "coord", "structure", "ps",
  "ind", "indicateur", "top", "flag", "statut", "declare", "declaree", "exonere", "exoneree", "exoneration", "exo",
]);
// Words spelt two ways for one thing: C2S is the new name of the CSS (complémentaire santé solidaire).
const SAME_WORD: Record<string, string> = { c2s: "css" };
// A hint after the name saying how the column is written, not what it holds: « (O/N) », « (1/0) », « (oui/non) »,
// « (jj/mm/aaaa) », a plural « (s) ». Only such hints are dropped: « Adresse (suite) » stays a guess.
const HINT_WORDS = new Set([
  "o", "n", "oui", "non", "y", "yes", "no", "1", "0", "vrai", "faux", "true", "false", "v", "f",
  "jj", "mm", "aa", "aaaa", "dd", "yy", "yyyy", "j", "m", "h", "s", "e", "es", "x", "format", "booleen",
]);
const TRAILING_HINT = /\s*[([]([^()[\]]*)[)\]]\s*$/;
// The same hints written without parentheses at the end of the header: "ALD_O_N", "MT 1/0", "DDN jj/mm/aaaa".
const TRAILING_BARE_HINT = / (o n|oui non|y n|1 0|0 1|jj mm aa(aa)?|dd mm yy(yy)?)$/;
const PHONE_WORD = /^(tel|tel\d|telephone|telephone\d|portable|mobile|gsm|fixe|phone|cellulaire|port|telephones)$/;
const PHONE_EXCLUDED = /\b(medecin|mt|fax|telecopie|opposition|oppose|opposant|refus|demarchage|consentement|accord|cabinet)\b/;
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
      const l = looseForm(s);
      if (l && !loose.has(l)) loose.set(l, field);
    }
  }
  const lookup = (h: string): F | undefined => exact.get(h) ?? loose.get(looseForm(h)); // "Nom du patient" → "nom"

  const mapping: Record<string, number | number[]> = {};
  const unmapped: string[] = [];
  const unsure: string[] = [];
  const decisiveUnmapped: HeaderMapping<F>["decisiveUnmapped"] = [];
  const phones: { column: number; rank: number }[] = [];
  const leaveAside = (header: string) => {
    unmapped.push(header);
    const why = kind === "patient" ? decisiveColumnReason(header) : null;
    if (why) {
      const reason = `la colonne « ${header} » n'a pas été reconnue : ${why}`;
      decisiveUnmapped.push({ header, reason });
      unsure.push(reason);
    }
  };

  headers.forEach((header, column) => {
    const h = normaliseText(header);
    if (h === "") return;
    let field: F | undefined = exact.get(h);
    if (!field && fields.includes("phones" as F) && isPhoneHeader(h)) {
      phones.push({ column, rank: MOBILE_WORD.test(h) ? 0 : FIXED_WORD.test(h) ? 2 : 1 });
      return;
    }
    if (!field) field = lookup(h);
    if (!field) {
      const bare = withoutHint(header); // "Médecin traitant (O/N)" → "medecin traitant"
      if (bare !== h) field = lookup(bare);
    }
    if (!field && fields.includes("address" as F) && /^(adresse|adr|complement adresse|ligne adresse)\b/.test(h) && !ADDRESS_EXCLUDED.test(h)) {
      field = "address" as F;
      unsure.push(`la colonne « ${header} » a été prise pour une ligne d'adresse par supposition`);
    }
    if (!field) {
      leaveAside(header);
      return;
    }
    if (field === "address") {
      mapping.address = [...((mapping.address as number[] | undefined) ?? []), column];
    } else if (mapping[field] === undefined) {
      mapping[field] = column;
    } else {
      // a second column for the same field: the coordinator decides
      unmapped.push(header);
      unsure.push(`deux colonnes semblent dire la même chose : « ${headers[mapping[field] as number]} » est retenue, « ${header} » est laissée de côté`);
    }
  });
  if (phones.length) mapping.phones = [...phones].sort((a, b) => a.rank - b.rank).map((p) => p.column);

  const result = mapping as ColumnMapping<F>;
  const missingRequired = missingRequiredFields(result as PatientMapping | GpMapping, kind);
  return { mapping: result, unmapped, missingRequired, unsure, decisiveUnmapped, confident: unsure.length === 0 && missingRequired.length === 0 };
}

// What a patient column may hold that decides who is called, or first: such a column left aside must be seen.
const DECISIVE_COLUMNS: [RegExp, string][] = [
  [/\b(opposition|oppose|opposee|opposant|opt ?out|refus|refuse|refusee|demarchage|ne pas (appeler|contacter|rappeler)|bloctel|liste rouge|liste d opposition)\b/, "elle peut dire qui ne doit pas être appelé"],
  [/\b(medecin traitant|mt|med traitant|medecin|docteur|generaliste)\b/, "elle peut dire qui a déjà un médecin traitant, et ne doit donc pas être appelé"],
  [/\b(consentement|consenti|consentie|consent|accord|accepte)\b/, "elle peut dire qui a accepté d'être contacté"],
  [/\b(ald|affection longue duree|css|c2s|cmu|cmuc|complementaire sante solidaire)\b/, "elle peut dire qui appeler en priorité"],
];

/** Why a patient column, when left aside, may change who is called (French), or null. */
export function decisiveColumnReason(header: string): string | null {
  const h = normaliseText(header);
  return DECISIVE_COLUMNS.find(([words]) => words.test(h))?.[1] ?? null;
}

/** The header without a hint of how it is written: « Opposition (O/N) », « Prénom(s) », « ALD_O_N » (normalised). */
function withoutHint(header: string): string {
  const hint = TRAILING_HINT.exec(header);
  const named = hint && normaliseText(hint[1]).split(" ").every((w) => w === "" || HINT_WORDS.has(w)) ? header.slice(0, hint.index) : header;
  return normaliseText(named).replace(TRAILING_BARE_HINT, "");
}

function isPhoneHeader(h: string): boolean {
  if (PHONE_EXCLUDED.test(h)) return false;
  const words = h.split(" ");
  if (words.some((w) => PHONE_WORD.test(w))) return true;
  return /^(num|numero|n|no) (de )?tel/.test(h);
}

/** A normalised header without its filler words, each word in one spelling. */
function looseForm(h: string): string {
  return h
    .split(" ")
    .filter((w) => !FILLER.has(w))
    .map((w) => SAME_WORD[w] ?? w)
    .join(" ");
}
