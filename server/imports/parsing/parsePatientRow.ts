// Validates and normalises one row of a patient listing. Pure: the commune resolver is
// injected. A row is accepted, rejected with a French reason (sent back to the fund with its
// line number), or skipped (blank rows, footers). Names are kept as written; the NIR is
// returned in clear for the caller to hash.
import { classifyRow } from "./classifyRow.ts";
import type { CommuneQuery, CommuneResolver } from "./commune.ts";
import type { PatientMapping } from "./mapHeaders.ts";
import { normalisePhones, type Phone, type RejectedPhone } from "./normalisePhone.ts";
import { birthDateRange, MAX_AGE_YEARS, parseDate, type ParsedDate } from "./parseDate.ts";
import { parseFlag } from "./parseFlag.ts";
import { cellOf, cellsOf } from "./rowCells.ts";
import { ageOn } from "../../eligibility/assessPatient.ts";
import { calendarDate } from "../../organisations/timeZone.ts";
import { DEFAULT_TIME_ZONE } from "../../../shared-types/timeZones.ts";
import { validateNir } from "./validateNir.ts";
import { validateRpps } from "./validateRpps.ts";

export interface ParsedPatient {
  externalId: string | null;
  /** The name to use: the usage name, or the birth name when the listing gives only that. */
  lastName: string;
  /** False when the row gives no usage name (no such column, an empty cell): `lastName` is then the birth name. */
  usageNameGiven: boolean;
  birthName: string | null;
  firstName: string | null;
  birthDate: string;
  /** Age in whole years on `today`. */
  age: number;
  sex: "F" | "M" | null;
  /** Valid numbers, deduplicated, in the order of the mapped columns; none only on a row kept for its opposition or its GP. */
  phones: Phone[];
  /** Numbers dropped from the row (the row stays because another number is valid). */
  rawPhonesRejected: RejectedPhone[];
  address: string | null;
  postalCode: string | null;
  communeName: string | null;
  inseeCode: string;
  /** The flags: null when the listing does not say (no such column, an unreadable cell): a known patient keeps
   * what was known, a new one is stored without. An empty cell in the column says no. */
  ald: boolean | null;
  css: boolean | null;
  hasMt: boolean | null;
  optOut: boolean;
  /** null: the listing does not say. */
  consentContact: boolean | null;
  /** Validated NIR (15 characters), in clear: hash it before storing. */
  nir: string | null;
  relationRpps: string | null;
  relationVisits: number | null;
  /** Non-blocking problems of the row, in French ("NIR invalide (clé de contrôle incorrecte) : ignoré"). */
  warnings: string[];
}

export type PatientRowResult =
  | { ok: true; patient: ParsedPatient }
  | { ok: false; reason: string }
  | { ok?: undefined; skip: "empty" | "footer" };

export interface ParseRowOptions {
  /** Reference instant for ages and two-digit years (default: now). */
  today?: Date;
  /** The organisation's time zone: whose calendar date `today` is (default: Paris). */
  timeZone?: string;
}

// A CPAM "ALD" column sometimes carries the ALD numbers themselves ("8", "ALD 30", "8;12").
const ALD_NUMBERS = /^(ald\s*)?\d{1,2}(\s*[;,/+]\s*(ald\s*)?\d{1,2})*$/i;

export function parsePatientRow(
  cells: readonly string[],
  mapping: PatientMapping,
  resolveCommune: CommuneResolver,
  options: ParseRowOptions = {},
): PatientRowResult {
  const skip = classifyRow(cells);
  if (skip) return { skip };
  const warnings: string[] = [];
  const now = options.today ?? new Date();
  const today = calendarDate(now, options.timeZone ?? DEFAULT_TIME_ZONE);

  const usageName = nameOf(cells, mapping.lastName);
  const birthName = nameOf(cells, mapping.birthName);
  const lastName = usageName ?? birthName;
  if (!lastName) return { ok: false, reason: "nom manquant" };

  const birthCell = cellOf(cells, mapping.birthDate) ?? "";
  const birth = parseDate(birthCell, { twoDigitYear: "past", today: now, serialRange: birthDateRange(now) });
  if (!birth.ok) return { ok: false, reason: birthDateReason(birth, birthCell) };
  if (birth.date > today) return { ok: false, reason: `date de naissance dans le futur : « ${birthCell} »` };
  const age = ageOn(birth.date, today);
  if (age > MAX_AGE_YEARS) return { ok: false, reason: `date de naissance improbable : « ${birthCell} » (plus de ${MAX_AGE_YEARS} ans)` };

  const phones: Phone[] = [];
  const rawPhonesRejected: RejectedPhone[] = [];
  for (const cell of cellsOf(cells, mapping.phones)) {
    const result = normalisePhones(cell);
    for (const p of result.phones) if (!phones.some((q) => q.e164 === p.e164)) phones.push(p);
    rawPhonesRejected.push(...result.rejected);
  }
  const postalCode = cellOf(cells, mapping.postalCode);
  const communeName = cellOf(cells, mapping.communeName);
  const query: CommuneQuery = {};
  const inseeCell = cellOf(cells, mapping.inseeCode);
  if (inseeCell) query.inseeCode = inseeCell;
  if (postalCode) query.postalCode = postalCode;
  if (communeName) query.communeName = communeName;
  if (!query.inseeCode && !query.postalCode && !query.communeName) {
    return { ok: false, reason: "commune manquante (code INSEE, ou code postal et commune)" };
  }
  const commune = resolveCommune(query);
  if ("error" in commune) return { ok: false, reason: commune.error };
  if (commune.remark) warnings.push(commune.remark);

  const optOutCell = cellOf(cells, mapping.optOut) ?? "";
  const optOut = parseFlag(optOutCell);
  // Calling an opposed patient must never happen: an unreadable opposition rejects the row.
  if (!optOut.ok) return { ok: false, reason: `opposition : ${optOut.reason}` };
  const hasMt = mapping.hasMt === undefined ? null : readYesNo("médecin traitant", cellOf(cells, mapping.hasMt) ?? "", warnings);

  if (phones.length === 0) {
    const details = rawPhonesRejected.map((r) => r.reason).join(" ; ");
    const noPhone = `aucun numéro de téléphone valide${details ? ` (${details})` : ""}`;
    // A row that says the patient must not be called (an opposition, a GP already declared) is what a fund sends
    // for them, often without a phone: kept, so that a known patient becomes ineligible in every campaign and
    // the opposition reaches the register. Any other row without a phone cannot be called: rejected.
    if (!optOut.value && hasMt !== true) return { ok: false, reason: noPhone };
    warnings.push(`aucun numéro de téléphone valide : ligne gardée pour ${optOut.value ? "son opposition" : "son médecin traitant"}`);
  }

  const nirCell = cellOf(cells, mapping.nir);
  let nir: string | null = null;
  if (nirCell) {
    const check = validateNir(nirCell);
    if (check.ok) nir = check.nir;
    else warnings.push(`${check.reason} : ignoré`);
  }

  let relationRpps: string | null = null;
  const rppsCell = cellOf(cells, mapping.relationRpps);
  if (rppsCell) {
    const check = validateRpps(rppsCell);
    if (check.ok) relationRpps = check.rpps;
    else warnings.push(`médecin consulté : ${check.reason} : ignoré`);
  }
  let relationVisits: number | null = null;
  const visitsCell = cellOf(cells, mapping.relationVisits);
  if (visitsCell) {
    if (/^\d{1,4}$/.test(visitsCell)) relationVisits = Number(visitsCell);
    else warnings.push(`nombre de consultations non reconnu : « ${visitsCell} » : ignoré`);
  }

  return {
    ok: true,
    patient: {
      externalId: cellOf(cells, mapping.externalId),
      lastName,
      usageNameGiven: usageName !== null,
      birthName,
      firstName: nameOf(cells, mapping.firstName),
      birthDate: birth.date,
      age,
      sex: parseSex(cellOf(cells, mapping.sex), nir, warnings),
      phones,
      rawPhonesRejected,
      address: addressOf(cellsOf(cells, mapping.address)),
      postalCode: commune.postalCode ?? null,
      communeName,
      inseeCode: commune.inseeCode,
      ald: mapping.ald === undefined ? null : readAld(cellOf(cells, mapping.ald) ?? "", warnings),
      css: mapping.css === undefined ? null : readYesNo("CSS", cellOf(cells, mapping.css) ?? "", warnings),
      hasMt,
      optOut: optOut.value ?? false,
      consentContact: readFlag("consentement", cellOf(cells, mapping.consentContact) ?? "", warnings),
      nir,
      relationRpps,
      relationVisits,
      warnings,
    },
  };
}

/** A name as given, but on one line: a line break inside a quoted cell is an accident of the export. */
function nameOf(cells: readonly string[], column: number | undefined): string | null {
  const value = cellOf(cells, column);
  return value === null ? null : value.replace(/\s+/g, " ");
}

function birthDateReason(result: Extract<ParsedDate, { ok: false }>, raw: string): string {
  switch (result.problem) {
    case "missing":
      return "date de naissance manquante";
    case "impossible":
      return `date de naissance inexistante : « ${raw} »`;
    case "partial":
      return `date de naissance incomplète : « ${raw} »`;
    default:
      return `date de naissance invalide : « ${raw} » (attendu jj/mm/aaaa)`;
  }
}

function readFlag(label: string, value: string, warnings: string[]): boolean | null {
  const flag = parseFlag(value);
  if (flag.ok) return flag.value;
  warnings.push(`${label} : ${flag.reason} : ignoré`);
  return null;
}

/** A yes/no column: an empty cell says no (listings tick with "X"); an unreadable one says nothing. */
function readYesNo(label: string, value: string, warnings: string[]): boolean | null {
  const flag = parseFlag(value);
  if (flag.ok) return flag.value ?? false;
  warnings.push(`${label} : ${flag.reason} : ignoré`);
  return null;
}

function readAld(value: string, warnings: string[]): boolean | null {
  const flag = parseFlag(value);
  if (flag.ok) return flag.value ?? false;
  if (ALD_NUMBERS.test(value.trim())) return true;
  warnings.push(`ALD : ${flag.reason} : ignoré`);
  return null;
}

function parseSex(value: string | null, nir: string | null, warnings: string[]): "F" | "M" | null {
  if (value) {
    const v = value
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]/g, "");
    if (["m", "h", "1", "homme", "masculin", "masc", "mr", "monsieur"].includes(v)) return "M";
    if (["f", "2", "femme", "feminin", "fem", "mme", "madame", "mlle"].includes(v)) return "F";
    warnings.push(`sexe non reconnu : « ${value} » : ignoré`);
  }
  if (nir?.startsWith("1")) return "M";
  if (nir?.startsWith("2")) return "F";
  return null;
}

function addressOf(parts: string[]): string | null {
  const text = parts
    .map((p) => p.replace(/\s*[\r\n]+\s*/g, ", ").replace(/\s{2,}/g, " "))
    .join(", ")
    .trim();
  return text === "" ? null : text;
}
