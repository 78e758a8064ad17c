// Turns a phone cell of a listing into E.164 numbers. A cell may hold several numbers
// ("06 12 34 56 78 / 01 23 45 67 89", "… ou …", "…;…"), in any of the forms funds use:
// 06 12 34 56 78, 06.12.34.56.78, +33 6…, +33 (0)6…, 0033 6…, 33 6… (Excel ate the "+"),
// 6 12 34 56 78 (Excel ate the leading 0). Overseas numbers written the national way
// (0692…, 0590…) are routed to their own country code: parsed as 'FR' they would become
// wrong +33 numbers that libphonenumber even calls valid.
import { Metadata, parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";

import type { PhoneType } from "../../../shared-types/phoneTypes.ts";
export type { PhoneType };

export interface Phone {
  e164: string;
  type: PhoneType;
  /** ISO 3166 code from the numbering plan: FR, RE, YT, GP, BL, MF, MQ, GF, PM, or a foreign one. */
  country: string | null;
}

export interface RejectedPhone {
  raw: string;
  reason: string;
}

export interface NormalisedPhones {
  phones: Phone[];
  rejected: RejectedPhone[];
}

// National prefixes of the overseas departments and collectivities (ARCEP plan).
const OVERSEAS: [RegExp, CountryCode][] = [
  [/^0(262|263|692|693)/, "RE"],
  [/^0(269|639)/, "YT"],
  [/^0(590|690|691)/, "GP"], // libphonenumber tells Saint-Barthélemy (BL) and Saint-Martin (MF) apart
  [/^0(596|696|697)/, "MQ"],
  [/^0(594|694)/, "GF"],
];
// Country codes of the overseas numbering plans, for numbers written "262692…" or "00590…".
const OVERSEAS_CALLING_CODES = ["262", "590", "594", "596", "508"];

const SEPARATORS = /\s*(?:\bou\b|\bet\b|,|;|\||\n|\r)\s*/i;
/** Between two numbers, or between the groups of one number's digits (« 06/12/34/56/78 »). */
const SLASH = /\s*\/\s*/;
const NO_NUMBER_MARKERS = new Set(["", "nc", "na", "n a", "nr", "nd", "inconnu", "neant", "aucun", "non communique", "non renseigne", "x", "0", "00", "?"]);

// Fast path: a cell holding one number written the usual way ("06 12 34 56 78", "0612345678",
// "06.12.34.56.78", "+33 6 12 34 56 78") cannot be split, glued or a "no number" marker.
const SINGLE_NUMBER = /^(?:0|\+33 ?)[1-9](?:[ .]?\d{2}){4}$/;

/**
 * `fastPath: false` runs every number through libphonenumber (the reference the fast path is
 * tested against, test/imports/parsing/normalisePhoneFastPath.test.ts).
 */
export function normalisePhones(cell: string, fastPath = true): NormalisedPhones {
  const phones: Phone[] = [];
  const rejected: RejectedPhone[] = [];
  const text = cell.trim();
  if (fastPath && SINGLE_NUMBER.test(text)) {
    const phone = toPhone(text, true);
    if (phone) phones.push(phone);
    else rejected.push({ raw: text, reason: invalid(text) });
    return { phones, rejected };
  }
  if (!/\d/.test(text)) {
    if (!NO_NUMBER_MARKERS.has(fold(text))) rejected.push({ raw: text, reason: invalid(text) });
    return { phones, rejected };
  }
  for (const part of splitNumbers(text)) {
    const raw = part.trim();
    if (!/\d/.test(raw)) continue; // "dom.", "(portable)": annotations between numbers
    if (isNoNumberMarker(raw)) continue;
    const phone = toPhone(raw, fastPath);
    if (!phone) rejected.push({ raw, reason: invalid(raw) });
    else if (!phones.some((p) => p.e164 === phone.e164)) phones.push(phone);
  }
  return { phones, rejected };
}

function invalid(raw: string): string {
  return `numéro invalide : « ${raw} »`;
}

/** `raw` holds a digit: of the markers, only "0" and "00" can fold from it (fold keeps ASCII digits). */
function isNoNumberMarker(raw: string): boolean {
  let digits = 0;
  for (let i = 0; i < raw.length && digits <= 2; i++) {
    const c = raw.charCodeAt(i);
    if (c >= 48 && c <= 57) digits += c === 48 ? 1 : 3;
  }
  return digits <= 2 && NO_NUMBER_MARKERS.has(fold(raw));
}

function fold(s: string): string {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9?]+/g, " ").trim();
}

/** The numbers of a cell: split at its separators, and at its slashes unless they separate the groups of one number
 * (« 06/12/34/56/78 », each piece of a few digits); then where national numbers are glued by spaces only. */
function splitNumbers(text: string): string[] {
  return text.split(SEPARATORS).flatMap((piece) => {
    const parts = piece.split(SLASH);
    return parts.length > 1 && parts.every((p) => p.replace(/\D/g, "").length <= 4) ? [piece] : parts;
  }).flatMap(splitGluedNumbers);
}

/** "0612345678 0123456789", "06 12 00 01 12 06 12 00 01 13 06 12 00 01 14": national numbers separated by spaces only,
 * cut where a number's ten digits end between two groups. */
function splitGluedNumbers(part: string): string[] {
  const digits = part.replace(/\D/g, "");
  const groups = part.trim().split(/\s+/);
  if (digits.length < 20 || digits.length % 10 !== 0 || groups.length < 2 || !/^(?:0\d{9})+$/.test(digits)) return [part];
  const numbers: string[] = [];
  let start = 0;
  let length = 0;
  for (let i = 0; i < groups.length; i++) {
    length += groups[i].replace(/\D/g, "").length;
    const end = (numbers.length + 1) * 10; // where the number being read ends
    if (length === end) {
      numbers.push(groups.slice(start, i + 1).join(" "));
      start = i + 1;
    } else if (length > end) return [part]; // a group across two numbers: they are not told apart
  }
  return numbers;
}

function toPhone(raw: string, fastPath: boolean): Phone | null {
  let s = raw.replace(/\(0\)/g, "").replace(/[^\d+]/g, "");
  if (s.lastIndexOf("+") > 0) return null;
  if (s.startsWith("00")) s = `+${s.slice(2)}`;
  // 33612345678: the "+" was lost (often by Excel). Same for overseas codes: 262692123456.
  if (/^33[1-9]\d{8}$/.test(s)) s = `+${s}`;
  if (OVERSEAS_CALLING_CODES.some((c) => s.startsWith(c)) && s.length === 12) s = `+${s}`;
  // +33 692…, +33 0 6…: back to the national form, which is then routed by prefix.
  if (s.startsWith("+33")) s = `0${s.slice(3).replace(/^0/, "")}`;
  // 612345678: the leading 0 was lost.
  if (/^[1-9]\d{8}$/.test(s)) s = `0${s}`;

  const overseas = s.startsWith("0") ? OVERSEAS.find(([re]) => re.test(s)) : undefined;
  if (fastPath && !overseas) {
    const phone = metropolitan(s);
    if (phone) return phone;
  }
  const parsed = parsePhoneNumberFromString(s, overseas ? overseas[1] : "FR");
  if (!parsed || !parsed.isValid()) return null;
  return { e164: parsed.number, type: typeOf(parsed.getType()), country: parsed.country ?? null };
}

function typeOf(type: string | undefined): PhoneType {
  switch (type) {
    case "MOBILE":
      return "mobile";
    case "FIXED_LINE":
      return "fixed";
    case "VOIP":
      return "voip";
    default:
      return "other";
  }
}

// libphonenumber's own rules for France (same metadata), compiled once: a 10-digit national
// number that is a fixed line only or a mobile only is answered here, as libphonenumber would
// (+33 and the 9 digits, country FR); anything else (VOIP, special rates, both, neither) goes
// to libphonenumber. libphonenumber builds a RegExp per pattern and per call, most of the cost
// of an import's parsing.
interface TypeRule {
  pattern(): string;
  possibleLengths(): number[] | undefined;
}
const FR_PLAN = (() => {
  const metadata = new Metadata() as unknown as { selectNumberingPlan(c: string): void; numberingPlan: { nationalNumberPattern(): string; type(t: string): TypeRule | undefined } };
  metadata.selectNumberingPlan("FR");
  const plan = metadata.numberingPlan;
  const rule = (t: string) => {
    const type = plan.type(t);
    if (!type?.pattern()) return null;
    return { re: new RegExp(`^(?:${type.pattern()})$`), lengths: type.possibleLengths() };
  };
  return { general: new RegExp(`^(?:${plan.nationalNumberPattern()})$`), fixed: rule("FIXED_LINE"), mobile: rule("MOBILE") };
})();
const NATIONAL = /^0[1-9]\d{8}$/;

function matches(rule: { re: RegExp; lengths: number[] | undefined } | null, nsn: string): boolean {
  return !!rule && (!rule.lengths || rule.lengths.includes(nsn.length)) && rule.re.test(nsn);
}

function metropolitan(s: string): Phone | null {
  if (!NATIONAL.test(s)) return null;
  const nsn = s.slice(1);
  if (!FR_PLAN.general.test(nsn)) return null;
  const fixed = matches(FR_PLAN.fixed, nsn);
  const mobile = matches(FR_PLAN.mobile, nsn);
  if (fixed === mobile) return null;
  return { e164: `+33${nsn}`, type: fixed ? "fixed" : "mobile", country: "FR" };
}
