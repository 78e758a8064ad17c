// A campaign's calling rules, with the defaults of décret 2022-1313 (Monday–Friday 10:00–13:00
// and 14:00–20:00, no Sundays, no public holidays) and of outreach practice.
import { z } from "zod";
import { priorityOrder } from "../campaigns/schemas.ts";
import { teamName } from "./campaignAgents.ts";

// 24:00 ends a window at midnight (« 14h-24h »); as a start it is refused (a window must end after it starts).
const time = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, "heure au format HH:MM, de 00:00 à 24:00");
const windowsSchema = z.partialRecord(z.enum(["1", "2", "3", "4", "5", "6", "7"]), z.array(z.tuple([time, time]).refine(([a, b]) => a < b, "une plage doit finir après son début"))
  .refine((day) => [...day].sort().every(([from], i, sorted) => i === 0 || sorted[i - 1][1] <= from), "deux plages du même jour se chevauchent"));

export const OUTCOMES = [
  "reached", "no_answer", "busy", "voicemail", "wrong_number", "callback", "refused", "has_mt", "deceased", "moved", "opposed", "language_barrier", "other",
] as const;
export type Outcome = (typeof OUTCOMES)[number] | "interrupted";

export const OUTCOME_LABELS: Record<Outcome, string> = {
  reached: "Joint", no_answer: "Pas de réponse", busy: "Occupé", voicemail: "Messagerie", wrong_number: "Faux numéro",
  callback: "Rappel demandé", refused: "Refus", has_mt: "A déjà un médecin traitant", deceased: "Décédé", moved: "A déménagé",
  opposed: "S'oppose à tout appel", language_barrier: "Barrière de la langue", other: "Autre", interrupted: "Interrompu",
};

/** Why a patient is no longer called in a campaign (Enrolment.doneReason), in French: every refusal to call is explainable. */
export const DONE_REASON_LABELS: Record<string, string> = {
  reached: "joint", has_mt: "a déjà un médecin traitant", deceased: "décédé", moved: "a déménagé", opposed: "s'oppose aux appels",
  refused: "refus", no_valid_phone: "plus aucun numéro valide", max_attempts: "nombre maximal de tentatives atteint",
  handled_elsewhere: "déjà traité dans une autre campagne de même type",
  erased: "identité effacée (droit à l'effacement ou durée de conservation)",
};

/** Outcomes after which the patient is tried again later (the others end the patient's calls in the campaign). */
export const RETRY_OUTCOMES = ["no_answer", "busy", "voicemail", "language_barrier", "other"] as const;

export const DEFAULT_WINDOWS: Record<string, [string, string][]> = Object.fromEntries(
  ["1", "2", "3", "4", "5"].map((d) => [d, [["10:00", "13:00"], ["14:00", "20:00"]]]),
);
export const DEFAULT_RETRY_MINUTES: Record<(typeof RETRY_OUTCOMES)[number], number> = {
  no_answer: 240, busy: 30, voicemail: 1440, language_barrier: 1440, other: 1440,
};

// Titles: the console's own labels, so that a refusal names the field the coordinator sees.
export const rulesInput = z.object({
  dialMode: z.enum(["preview", "progressive"]).meta({ title: "Mode de numérotation" }).optional(),
  callingWindows: windowsSchema.meta({ title: "Plages d'appel" }).optional(),
  skipPublicHolidays: z.boolean().meta({ title: "Pas d'appel les jours fériés" }).optional(),
  maxAttempts: z.number().int().min(1).max(20).meta({ title: "Tentatives au plus" }).optional(),
  attemptPeriodDays: z.number().int().min(1).max(365).meta({ title: "Tentatives : sur (jours)" }).optional(),
  retryDelays: z.partialRecord(z.enum(RETRY_OUTCOMES), z.number().int().min(1).max(60 * 24 * 60)).meta({ title: "Délais avant un nouvel essai (min)" }).optional(),
  rotatePhoneAfter: z.number().int().min(1).max(20).meta({ title: "Autre numéro après (échecs)" }).optional(),
  refusalPauseDays: z.number().int().min(1).max(3650).nullable().meta({ title: "Pause après un refus (jours)" }).optional(),
  callbackGraceMinutes: z.number().int().min(0).max(24 * 60).meta({ title: "Rappel réservé à l'agent (minutes)" }).optional(),
  agentIds: z.array(z.uuid()).meta({ title: "Agents de la campagne" }).optional(),
  agentTeams: z.array(z.string().max(100).transform(teamName).pipe(z.string().min(1, "nom d'équipe vide"))).meta({ title: "Équipes de la campagne" }).optional(),
  priorityOrder: priorityOrder.optional(),
  maxDistanceKm: z.number().int().min(1, "1 km au moins").max(200, "200 km au plus").meta({ title: "Médecins proposés à moins de (km)" }).optional(),
  reservationDays: z.number().int().min(1, "1 jour au moins").max(90, "90 jours au plus").meta({ title: "Réservation sans réponse libérée après (jours)" }).optional(),
});

export interface CallingRules {
  dialMode: "preview" | "progressive";
  windows: Record<string, [string, string][]>;
  skipPublicHolidays: boolean;
  maxAttempts: number;
  attemptPeriodDays: number;
  retryMinutes: Record<string, number>;
  rotatePhoneAfter: number;
  refusalPauseDays: number | null;
  callbackGraceMinutes: number;
}

/** The campaign's columns that its calling rules are made of (rulesOf's input). */
export interface RuleColumns {
  dialMode: "preview" | "progressive"; callingWindows: unknown; skipPublicHolidays: boolean; maxAttempts: number; attemptPeriodDays: number;
  retryDelays: unknown; rotatePhoneAfter: number; refusalPauseDays: number | null; callbackGraceMinutes: number;
}
const RULE_COLUMNS: readonly (keyof RuleColumns)[] = ["dialMode", "callingWindows", "skipPublicHolidays", "maxAttempts", "attemptPeriodDays", "retryDelays",
  "rotatePhoneAfter", "refusalPauseDays", "callbackGraceMinutes"];
/** SQL: the rule columns of campaign `c` (a statement's alias), and the `extra` columns named, as one JSON object — what
 * the dialer's statements read of a campaign, rather than the whole row (`row_to_json`). */
export const ruleColumnsJsonSql = (c: string, extra: readonly string[] = []) =>
  `json_build_object(${[...RULE_COLUMNS, ...extra].map((k) => `'${k}', ${c}."${k}"`).join(", ")})`;

export function rulesOf(c: RuleColumns): CallingRules {
  return {
    dialMode: c.dialMode,
    windows: (c.callingWindows as CallingRules["windows"] | null) ?? DEFAULT_WINDOWS,
    skipPublicHolidays: c.skipPublicHolidays,
    maxAttempts: c.maxAttempts,
    attemptPeriodDays: c.attemptPeriodDays,
    retryMinutes: { ...DEFAULT_RETRY_MINUTES, ...((c.retryDelays as Record<string, number> | null) ?? {}) },
    rotatePhoneAfter: c.rotatePhoneAfter,
    refusalPauseDays: c.refusalPauseDays,
    callbackGraceMinutes: c.callbackGraceMinutes,
  };
}
