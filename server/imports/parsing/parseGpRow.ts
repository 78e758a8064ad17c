// Validates and normalises one row of a GP roster: RPPS (11 digits, Luhn key), name, place of
// practice (commune and/or coordinates), MSP team, capacity for new patients, ALD acceptance,
// end of activity. Pure: the commune resolver is injected.
import { classifyRow } from "./classifyRow.ts";
import type { CommuneQuery, CommuneResolver } from "./commune.ts";
import type { GpMapping } from "./mapHeaders.ts";
import { parseDate } from "./parseDate.ts";
import { parseFlag } from "./parseFlag.ts";
import type { ParseRowOptions } from "./parsePatientRow.ts";
import { cellOf, cellsOf } from "./rowCells.ts";
import { validateRpps } from "./validateRpps.ts";
import { calendarDate } from "../../organisations/timeZone.ts";
import { DEFAULT_TIME_ZONE } from "../../../shared-types/timeZones.ts";
import { distanceKm } from "../../geo/distanceKm.ts";
import { inFrance } from "../../geo/inFrance.ts";

const MAX_NAME = 100;
/** New patients one GP or team can declare: above, a typing error (a whole patientèle is ~1,000 patients). */
const MAX_CAPACITY = 1_000;
/** A practice's point this far from its commune's is not in it (the largest communes span ~40 km). */
const MAX_KM_FROM_COMMUNE = 50;

export interface ParsedGp {
  rpps: string;
  lastName: string;
  firstName: string | null;
  address: string | null;
  postalCode: string | null;
  communeName: string | null;
  /** null only when the roster gives coordinates but no usable commune. */
  inseeCode: string | null;
  lat: number | null;
  lng: number | null;
  /** MSP or group practice: capacity may be pooled at team level. */
  team: string | null;
  /** null: the roster does not say (no such column, an empty or unreadable cell, and no capacity to read it from). */
  acceptsNew: boolean | null;
  /** New patients the GP can still take (integer ≥ 0); null: the roster does not say how many (no such column, an
   * empty cell, a capacity in words). What a GP's places then are is decided with what is known of them (applyGpBatch). */
  capacity: number | null;
  acceptsAld: boolean;
  endOfActivity: string | null;
  birthYear: number | null;
  /** Where the GP's links are sent (when an SMTP server is configured). */
  email: string | null;
  warnings: string[];
}

export type GpRowResult =
  | { ok: true; gp: ParsedGp }
  | { ok: false; reason: string }
  | { ok?: undefined; skip: "empty" | "footer" };

export function parseGpRow(
  cells: readonly string[],
  mapping: GpMapping,
  resolveCommune: CommuneResolver,
  options: ParseRowOptions = {},
): GpRowResult {
  const skip = classifyRow(cells);
  if (skip) return { skip };
  const warnings: string[] = [];
  const now = options.today ?? new Date();

  const rpps = validateRpps(cellOf(cells, mapping.rpps) ?? "");
  const teamOnly = !cellOf(cells, mapping.rpps) && !cellOf(cells, mapping.lastName) && cellOf(cells, mapping.team);
  // a team's own line (its pooled capacity): not a GP, and a team's capacity has one way in, its declaration
  if (teamOnly) return { ok: false, reason: `ligne d'équipe sans médecin (« ${teamOnly} ») : l'annuaire n'importe que des médecins (RPPS) ; la capacité de l'équipe se déclare par son lien capacité` };
  if (!rpps.ok) return { ok: false, reason: rpps.reason };
  const lastName = cellOf(cells, mapping.lastName);
  if (!lastName) return { ok: false, reason: "nom manquant" };
  const firstName = cellOf(cells, mapping.firstName);
  if (lastName.length > MAX_NAME || (firstName?.length ?? 0) > MAX_NAME) return { ok: false, reason: `nom ou prénom trop long (${MAX_NAME} caractères au plus)` };

  let point = readPoint(cellOf(cells, mapping.lat), cellOf(cells, mapping.lng), warnings);

  const postalCode = cellOf(cells, mapping.postalCode);
  const communeName = cellOf(cells, mapping.communeName);
  const query: CommuneQuery = {};
  const inseeCell = cellOf(cells, mapping.inseeCode);
  if (inseeCell) query.inseeCode = inseeCell;
  if (postalCode) query.postalCode = postalCode;
  if (communeName) query.communeName = communeName;
  let inseeCode: string | null = null;
  let practicePostalCode: string | null = null; // the roster's, when it is the commune's
  if (query.inseeCode || query.postalCode || query.communeName) {
    const commune = resolveCommune(query);
    if ("error" in commune) {
      if (!point) return { ok: false, reason: commune.error };
      warnings.push(`${commune.error} : commune ignorée, coordonnées GPS utilisées`);
    } else {
      inseeCode = commune.inseeCode;
      practicePostalCode = commune.postalCode ?? null;
      if (commune.remark) warnings.push(commune.remark);
      const away = point && commune.lat != null && commune.lng != null ? distanceKm(point.lat, point.lng, commune.lat, commune.lng) : 0;
      if (away > MAX_KM_FROM_COMMUNE) {
        warnings.push(`coordonnées GPS à ${Math.round(away)} km de ${commune.name} : ignorées, point de la commune retenu`);
        point = null;
      }
    }
  } else if (!point) {
    return { ok: false, reason: "lieu d'exercice manquant (code INSEE, code postal et commune, ou coordonnées GPS)" };
  }

  const capacityCell = cellOf(cells, mapping.capacity);
  let capacity: number | null = null;
  if (capacityCell) {
    const read = readCapacity(capacityCell);
    if (read === null) {
      // « illimité », « oui », « à voir »: how many is not said, as with an empty cell.
      warnings.push(`capacité non chiffrée : « ${capacityCell} » : à préciser`);
    } else {
      capacity = read;
      if (capacity > MAX_CAPACITY) {
        return { ok: false, reason: `capacité improbable : « ${capacityCell} » (1 000 nouveaux patients au plus)` };
      }
    }
  }

  const acceptsNewFlag = parseFlag(cellOf(cells, mapping.acceptsNew) ?? "");
  if (!acceptsNewFlag.ok) warnings.push(`accepte de nouveaux patients : ${acceptsNewFlag.reason} : déduit de la capacité`);
  const acceptsNew = acceptsNewFlag.ok && acceptsNewFlag.value !== null ? acceptsNewFlag.value : capacity === null ? null : capacity > 0;

  const acceptsAldFlag = parseFlag(cellOf(cells, mapping.acceptsAld) ?? "");
  if (!acceptsAldFlag.ok) warnings.push(`accepte les ALD : ${acceptsAldFlag.reason} : oui par défaut`);
  const acceptsAld = acceptsAldFlag.ok && acceptsAldFlag.value !== null ? acceptsAldFlag.value : true;

  let endOfActivity: string | null = null;
  const endCell = cellOf(cells, mapping.endOfActivity);
  if (endCell) {
    const end = parseDate(endCell, { twoDigitYear: "nearest", today: now });
    if (end.ok) endOfActivity = end.date;
    else warnings.push(`date de fin d'activité : ${end.reason} : ignorée`);
    // kept (the roster says it, and the GP's patients may need re-assigning), never proposed (findCandidates, refreshTeams)
    if (end.ok && end.date < calendarDate(now, options.timeZone ?? DEFAULT_TIME_ZONE)) {
      warnings.push(`activité terminée le ${end.date.split("-").reverse().join("/")} : médecin gardé dans l'annuaire, jamais proposé`);
    }
  }

  let birthYear: number | null = null;
  const yearCell = cellOf(cells, mapping.birthYear);
  if (yearCell) {
    const year = Number(yearCell);
    if (/^\d{4}$/.test(yearCell) && year >= 1900 && year <= now.getFullYear()) birthYear = year;
    else warnings.push(`année de naissance non reconnue : « ${yearCell} » : ignorée`);
  }

  let email: string | null = null;
  const emailCell = cellOf(cells, mapping.email);
  if (emailCell) {
    const candidate = emailCell.trim().toLowerCase();
    if (/^[^\s@;,]+@[^\s@;,]+\.[a-z]{2,}$/.test(candidate)) email = candidate;
    else warnings.push(`adresse e-mail invalide : « ${emailCell} » : ignorée`);
  }

  const address = cellsOf(cells, mapping.address).join(", ").replace(/\s*[\r\n]+\s*/g, ", ").trim();
  return {
    ok: true,
    gp: {
      rpps: rpps.rpps,
      lastName,
      firstName,
      address: address === "" ? null : address,
      postalCode: practicePostalCode,
      communeName,
      inseeCode,
      lat: point?.lat ?? null,
      lng: point?.lng ?? null,
      team: cellOf(cells, mapping.team),
      acceptsNew,
      capacity,
      acceptsAld,
      endOfActivity,
      birthYear,
      email,
      warnings,
    },
  };
}

/** The practice's point, if the roster gives a usable one: in France, or in France once latitude and longitude are
 * swapped back (said in a remark); otherwise none, and why. */
function readPoint(latCell: string | null, lngCell: string | null, warnings: string[]): { lat: number; lng: number } | null {
  if (!latCell && !lngCell) return null;
  const lat = readCoordinate(latCell, 90);
  const lng = readCoordinate(lngCell, 180);
  if (lat === null || lng === null || (lat === 0 && lng === 0)) {
    warnings.push("coordonnées GPS invalides : ignorées");
    return null;
  }
  if (inFrance(lat, lng)) return { lat, lng };
  if (inFrance(lng, lat)) {
    warnings.push(`coordonnées GPS inversées (${latCell} ; ${lngCell}) : latitude et longitude remises dans l'ordre`);
    return { lat: lng, lng: lat };
  }
  warnings.push(`coordonnées GPS hors de France (${latCell} ; ${lngCell}) : ignorées`);
  return null;
}

function readCoordinate(value: string | null, limit: number): number | null {
  if (!value) return null;
  const v = value.replace(/\s/g, "").replace(",", ".");
  if (!/^-?\d{1,3}(\.\d+)?$/.test(v)) return null;
  const n = Number(v);
  return Math.abs(n) <= limit ? n : null;
}

/** « 12 », « 12 places », « 5 patients », « complet », « aucune » → a number; anything else → null. */
function readCapacity(cell: string): number | null {
  const text = cell.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  const number = /^(\d[\d ]{0,6})( (places?|patients?|nouveaux patients?|pl\.?))?$/.exec(text);
  if (number) return Number(number[1].replace(/ /g, ""));
  if (/^(complet|complete|aucune?|non|plus de place|pas de place|0 place)$/.test(text)) return 0;
  return null;
}
