// "Why is this patient not called now?": every reason the dialer would not hand them out at this
// moment, in French, for coordinators and supervisors. It decides nothing itself: the calling windows
// (callingWindow), the campaign's rules (callingRules), eligibility (assessPatient), the dialing
// checks (checkCallable's order: opposition, consent) and the claim's cross-campaign query
// (claimNextPatient's ELSEWHERE_SQL) are the dialer's own.
import type pg from "pg";
import { DateTime } from "luxon";
import { assessPatient } from "../eligibility/assessPatient.ts";
import { errors } from "../errors.ts";
import { calendarDate, organisationZoneSql } from "../organisations/timeZone.ts";
import { clockName, timeZoneOf } from "../geo/timeZoneOf.ts";
import type { PriorityGroup } from "../campaigns/schemas.ts";
import { recentAttemptsSql } from "./attemptLimit.ts";
import { checkCallingWindow, type WindowCheck } from "./callingWindow.ts";
import { DONE_REASON_LABELS, OUTCOME_LABELS, rulesOf, type CallingRules, type Outcome, type RuleColumns } from "./callingRules.ts";
import { ELSEWHERE_SQL, HELD_ELSEWHERE_RETRY_MS, type Elsewhere } from "./claimNextPatient.ts";

export type NotCalledCode =
  | "campaign_draft" | "campaign_paused" | "campaign_closed"
  | "ineligible" | "opposed" | "no_consent" | "no_phone"
  | "done" | "attempt_limit" | "handled_elsewhere" | "held_elsewhere"
  | "held" | "callback_reserved" | "not_due" | "outside_window" | "public_holiday";

export interface NotCalledReason {
  code: NotCalledCode;
  /** French, shown as is in the console. */
  text: string;
}

export interface NotCalledExplanation {
  enrolmentId: string;
  patientId: string;
  campaign: { id: string; name: string; status: string };
  dialState: "waiting" | "held" | "done";
  priorityLabel: string;
  attempts: number;
  lastOutcome: string | null;
  /** The patient's time zone, in which times are given. */
  timeZone: string;
  /** True when nothing stops the dialer from handing the patient to the next ready agent. */
  callableNow: boolean;
  /** The earliest time the dialer could hand the patient out, when only time stands in the way. */
  nextPossibleAt: Date | null;
  /** Patients of the campaign's queue handed out before this one (when callable now). */
  ahead: number | null;
  reasons: NotCalledReason[];
  /** One French sentence for the top of the panel. */
  summary: string;
}

interface Row {
  id: string; campaignId: string; patientId: string; eligible: boolean; ineligibleReason: string | null; priority: number; priorityLabel: string;
  dialState: "waiting" | "held" | "done"; dueAt: Date; deferredUntil: Date | null; heldUntil: Date | null; attempts: number; lastOutcome: string | null;
  callbackAt: Date | null; callbackAgentId: string | null; doneReason: string | null; wrongPhones: string[];
  birthDate: string; ald: boolean; css: boolean; hasMt: boolean; optOut: boolean; consentContact: boolean | null; inseeCode: string | null; phones: { e164: string }[];
  campaign: RuleColumns & { id: string; name: string; type: string; status: string; requiresContactConsent: boolean; priorityOrder: PriorityGroup[] };
  opposedAt: Date | null; opposedSource: string | null; heldByName: string | null; callbackAgentName: string | null; openAttempt: boolean; recentAttempts: number;
  organisationZone: string;
}

const QUERY = `
  SELECT e."id", e."campaignId", e."patientId", e."eligible", e."ineligibleReason", e."priority", e."priorityLabel", e."dialState", e."dueAt", e."heldUntil",
         e."attempts", e."lastOutcome", e."callbackAt", e."callbackAgentId", e."doneReason", e."wrongPhones", e."deferredUntil",
         to_char(p."birthDate", 'YYYY-MM-DD') AS "birthDate", p."ald", p."css", p."hasMt", p."optOut", p."consentContact", p."inseeCode", p."phones",
         row_to_json(c) AS campaign, op."at" AS "opposedAt", op."source" AS "opposedSource", h."name" AS "heldByName", cb."name" AS "callbackAgentName",
         EXISTS (SELECT 1 FROM "CallAttempt" a WHERE a."enrolmentId" = e."id" AND a."outcome" IS NULL) AS "openAttempt",
         ${recentAttemptsSql(`e."id"`, "$4::timestamptz", `c."attemptPeriodDays"`)} AS "recentAttempts",
         ${organisationZoneSql('c."organisationId"')} AS "organisationZone"
  FROM "Enrolment" e JOIN "Campaign" c ON c."id" = e."campaignId" JOIN "Patient" p ON p."id" = e."patientId"
  LEFT JOIN "Opposition" op ON op."patientId" = p."id" LEFT JOIN "User" h ON h."id" = e."heldBy" LEFT JOIN "User" cb ON cb."id" = e."callbackAgentId"
  WHERE e."campaignId" = $1 AND c."organisationId" = $2 AND (e."id" = $3 OR e."patientId" = $3)
  ORDER BY (e."id" = $3) DESC LIMIT 1`;

/** Patients the queue hands out before this one: same query order as the claim (priority, then due time). */
const AHEAD_SQL = `SELECT count(*)::int AS n FROM "Enrolment" e JOIN "Patient" p ON p."id" = e."patientId"
  WHERE e."campaignId" = $1 AND e."dialState" = 'waiting' AND e."eligible" AND e."callbackAgentId" IS NULL AND e."dueAt" <= $2 AND NOT p."optOut"
    AND (e."priority", e."dueAt", e."id") < ($3, $4, $5)`;

const CAMPAIGN_STATUS: Record<string, [NotCalledCode, string] | undefined> = {
  draft: ["campaign_draft", "La campagne n'a pas encore démarré (brouillon) : le dialer n'appelle aucun de ses patients."],
  paused: ["campaign_paused", "La campagne est en pause : le dialer n'appelle aucun de ses patients."],
  closed: ["campaign_closed", "La campagne est clôturée : plus aucun appel."],
};
const OPPOSITION_SOURCE: Record<string, string> = { call: "lors d'un appel", import: "d'après un listing", coordinator: "par la coordination" };

export async function explainNotCalled(
  client: pg.PoolClient | pg.Pool,
  scope: { organisationId: string; campaignId: string },
  /** The enrolment id, or the patient id (the "Identifiant" of the patient export). */
  ref: string,
  now = new Date(),
): Promise<NotCalledExplanation> {
  const { rows } = await client.query<Row>(QUERY, [scope.campaignId, scope.organisationId, ref, now]);
  const e = rows[0];
  if (!e) throw errors.notFound("Patient de cette campagne");
  const rules = rulesOf(e.campaign);
  const zone = timeZoneOf(e.inseeCode);
  const when = (d: Date) => formatLocal(d, zone);
  const reasons: NotCalledReason[] = [];
  const add = (code: NotCalledCode, text: string) => reasons.push({ code, text });

  const status = CAMPAIGN_STATUS[e.campaign.status];
  if (status) add(...status);

  // Eligibility as the dialer reads it (stored at the last import or consent), explained with the eligibility rules themselves.
  const usablePhones = e.phones.filter((p) => !e.wrongPhones.includes(p.e164)).length;
  const live = assessPatient(
    { birthDate: e.birthDate, ald: e.ald, css: e.css, hasMt: e.hasMt, optOut: e.optOut, consentContact: e.consentContact, phoneCount: usablePhones },
    { priorityOrder: e.campaign.priorityOrder, requiresContactConsent: e.campaign.requiresContactConsent },
    calendarDate(now, e.organisationZone),
  );
  const shownApart = new Set<string>();
  for (const r of live.ineligible) {
    if (r.code === "opposed") {
      const since = e.opposedAt ? ` depuis le ${DateTime.fromJSDate(e.opposedAt, { zone }).toFormat("dd/MM/yyyy")}` : "";
      const how = e.opposedSource ? ` (${OPPOSITION_SOURCE[e.opposedSource] ?? e.opposedSource})` : "";
      add("opposed", `Le patient s'oppose à tout appel : inscrit au registre d'opposition de l'organisation${since}${how}.`);
      shownApart.add(r.text);
    } else if (r.code === "no_consent") {
      add("no_consent", e.consentContact === false
        ? "La campagne exige le consentement à être contacté, et le patient l'a refusé."
        : "La campagne exige le consentement à être contacté, que le patient n'a pas donné.");
      shownApart.add(r.text);
    }
  }
  if (!e.eligible) {
    const rest = (e.ineligibleReason ?? "motif non précisé").split(" ; ").filter((part) => !shownApart.has(part));
    if (rest.length) add("ineligible", `Non éligible à cette campagne : ${rest.join(" ; ")}.`);
  }

  // The claim's own cross-campaign check: held in another campaign, or settled by one of the same type.
  const elsewhere = e.dialState === "held" ? undefined : (await client.query<Elsewhere>(ELSEWHERE_SQL, [e.patientId, e.id, e.campaign.type])).rows[0];
  if (e.dialState === "done") {
    explainDone(e, rules, elsewhere, add, reasons);
  } else if (e.dialState === "held") {
    const until = e.heldUntil ? `, jusqu'au ${when(e.heldUntil)} sans signe de vie de sa console` : "";
    add("held", `Attribué en ce moment à ${e.heldByName ?? "un agent"}${until}${e.openAttempt ? " ; un appel est en cours" : ""}.`);
  } else if (usablePhones === 0) {
    add("no_phone", "Aucun numéro valide : l'appel serait refusé.");
  }
  // The claim ends the calls of a patient at the limit (lowered since, or reached by interrupted calls that rang).
  if (e.dialState !== "done" && e.callbackAt === null && e.recentAttempts >= rules.maxAttempts) {
    add("attempt_limit", `Nombre maximal de tentatives atteint : ${rules.maxAttempts} appel${rules.maxAttempts > 1 ? "s" : ""} en ${rules.attemptPeriodDays} jours (${e.recentAttempts} sur la période, appels interrompus après sonnerie compris) : il ne sera plus appelé.`);
  }

  let nextPossibleAt: Date | null = null;
  if (e.dialState === "waiting") {
    let at = e.dueAt > now ? e.dueAt : now;
    if (e.callbackAgentId) {
      const reservedUntil = new Date(e.dueAt.getTime() + rules.callbackGraceMinutes * 60_000);
      if (reservedUntil > now) {
        add("callback_reserved", `Rappel demandé par le patient pour le ${when(e.callbackAt ?? e.dueAt)}, réservé à ${e.callbackAgentName ?? "l'agent qui l'a noté"} jusqu'au ${when(reservedUntil)} ; ensuite, tout agent de la campagne peut le prendre.`);
      }
    } else if (e.dueAt > now && e.deferredUntil?.getTime() === e.dueAt.getTime()) {
      add("not_due", `Reporté à l'ouverture des plages d'appel, le ${when(e.dueAt)} : il était hors de ses plages quand un agent était prêt (un changement des règles d'appel le rend dû aussitôt).`);
    } else if (e.dueAt > now) {
      add("not_due", `Prochain essai possible le ${when(e.dueAt)}${delayOf(e.lastOutcome, rules)}.`);
    }
    // A callback the patient asked for may fall outside the windows (rule 4's exception).
    const requestedCallback = e.callbackAt !== null && e.callbackAt <= at;
    if (!requestedCallback) {
      const window = checkCallingWindow(at, e.inseeCode, rules);
      if (!window.open) {
        add(window.cause === "holiday" ? "public_holiday" : "outside_window", closedWindowText(window, at.getTime() === now.getTime(), zone));
        at = window.nextOpening ?? at;
      }
    }
    if (elsewhere?.held) {
      add("held_elsewhere", `En cours de traitement dans la campagne « ${elsewhere.campaignName} » par un agent : il sera reproposé ${Math.round(HELD_ELSEWHERE_RETRY_MS / 60_000)} minutes après.`);
    } else if (elsewhere) {
      add("handled_elsewhere", `Déjà traité dans la campagne « ${elsewhere.campaignName} » de même type (${DONE_REASON_LABELS[elsewhere.doneReason ?? ""] ?? elsewhere.doneReason}) : il ne sera pas appelé ici.`);
    }
    nextPossibleAt = at;
  }

  const onlyTime = reasons.every((r) => ["not_due", "outside_window", "public_holiday", "callback_reserved"].includes(r.code));
  const callableNow = reasons.length === 0;
  let ahead: number | null = null;
  if (callableNow) {
    ahead = (await client.query<{ n: number }>(AHEAD_SQL, [e.campaignId, now, e.priority, e.dueAt, e.id])).rows[0].n;
  }
  const summary = callableNow
    ? `Rien n'empêche de l'appeler maintenant : ${ahead === 0 ? "il est le prochain patient de la file" : `${ahead} patient${ahead! > 1 ? "s passent" : " passe"} avant lui (priorité, puis ancienneté)`}.`
    : onlyTime && nextPossibleAt
      ? `Pas appelé maintenant : il pourra l'être le ${when(nextPossibleAt)}.`
      : `Pas appelé maintenant : ${reasons.length} raison${reasons.length > 1 ? "s" : ""}.`;

  return {
    enrolmentId: e.id, patientId: e.patientId, campaign: { id: e.campaign.id, name: e.campaign.name, status: e.campaign.status },
    dialState: e.dialState, priorityLabel: e.priorityLabel, attempts: e.attempts, lastOutcome: e.lastOutcome, timeZone: zone,
    callableNow, nextPossibleAt: onlyTime ? nextPossibleAt : null, ahead, reasons, summary,
  };
}

function explainDone(e: Row, rules: CallingRules, elsewhere: Elsewhere | undefined, add: (code: NotCalledCode, text: string) => void, reasons: NotCalledReason[]) {
  const reason = e.doneReason ?? "";
  if (reason === "max_attempts") {
    add("attempt_limit", `Nombre maximal de tentatives atteint : ${rules.maxAttempts} appel${rules.maxAttempts > 1 ? "s" : ""} en ${rules.attemptPeriodDays} jours (${e.attempts} au total).`);
  } else if (reason === "handled_elsewhere") {
    add("handled_elsewhere", elsewhere && !elsewhere.held
      ? `Déjà traité dans la campagne « ${elsewhere.campaignName} » de même type (${DONE_REASON_LABELS[elsewhere.doneReason ?? ""] ?? elsewhere.doneReason}) : il ne sera pas appelé ici.`
      : "Déjà traité dans une autre campagne de même type : il ne sera pas appelé ici.");
  } else if (reason === "opposed" && reasons.some((r) => r.code === "opposed")) {
    // said above, with the register's date
  } else if (reason === "no_valid_phone") {
    add("no_phone", "Les appels sont terminés : plus aucun numéro valide (tous signalés faux).");
  } else {
    const last = e.lastOutcome ? ` (dernier résultat : ${OUTCOME_LABELS[e.lastOutcome as Outcome] ?? e.lastOutcome})` : "";
    add("done", `Les appels sont terminés dans cette campagne : ${DONE_REASON_LABELS[reason] ?? (reason || "motif non précisé")}${last}.`);
  }
}

/** "après « Pas de réponse » (délai de 4 h)": why the due time is where it is. */
function delayOf(lastOutcome: string | null, rules: CallingRules): string {
  if (!lastOutcome) return "";
  const label = OUTCOME_LABELS[lastOutcome as Outcome] ?? lastOutcome;
  if (lastOutcome === "refused" && rules.refusalPauseDays) return ` : pause de ${rules.refusalPauseDays} jours après un refus`;
  const minutes = rules.retryMinutes[lastOutcome];
  return minutes ? ` : délai de ${duration(minutes)} après « ${label} »` : ` (dernier résultat : ${label})`;
}

function duration(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 1440 || minutes % 1440 !== 0) return `${Math.round((minutes / 60) * 10) / 10} h`.replace(".", ",");
  const days = minutes / 1440;
  return `${days} jour${days > 1 ? "s" : ""}`;
}

/** "Plages d'appel fermées maintenant : hors des plages d'appel : 21:05 (heure de Paris) ; prochaine plage : …", on the
 * patient's clock (`zone`); `now`: closed at this moment, else at the later moment looked at. */
export function closedWindowText(window: Extract<WindowCheck, { open: false }>, now: boolean, zone: string): string {
  const next = window.nextOpening ? ` ; prochaine plage : ${formatLocal(window.nextOpening, zone)}` : "";
  return `Plages d'appel fermées ${now ? "maintenant" : "à ce moment-là"} : ${window.reason}${next}.`;
}

/** "mardi 24/11/2026 à 10:00 (heure de Paris)", in the patient's time zone. */
export function formatLocal(d: Date, zone: string): string {
  const local = DateTime.fromJSDate(d, { zone }).setLocale("fr");
  return `${local.toFormat("cccc dd/MM/yyyy 'à' HH:mm")} (${clockName(zone)})`;
}
