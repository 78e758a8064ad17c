// "Why did the dialer give me nobody?": asked only once a claim has returned nothing (never on the claim's path),
// for the agent who clicked « Prêt », in French. It decides nothing itself: who works a campaign is
// campaignAgents.ts's, the calling windows are checkCallingWindow's and phrased as explainNotCalled phrases them, and
// the queues it looks at are the claim's sources (the queue by priority, the agent's own callbacks, the callbacks
// reserved for another agent until their grace has run out). One statement; every look-up walks the claim's partial
// indexes and stops at its first row, so a ready agent asking again every few seconds costs little.
import type pg from "pg";
import { PRIORITY_GROUPS } from "../campaigns/schemas.ts";
import { timeZoneOf } from "../geo/timeZoneOf.ts";
import { rulesOf, type RuleColumns } from "./callingRules.ts";
import { checkCallingWindow } from "./callingWindow.ts";
import { agentWorksCampaignSql } from "./campaignAgents.ts";
import { closedWindowText, formatLocal } from "./explainNotCalled.ts";

export type NoPatientCode =
  /** No campaign of the organisation is running. */
  | "no_running_campaign"
  /** Campaigns run, but they name other agents or teams. */
  | "not_on_campaign"
  /** The patients due now are outside their calling window. */
  | "outside_window"
  /** Patients remain, none due yet. */
  | "not_due"
  /** The patients left are all with other agents right now. */
  | "held_by_others"
  /** No eligible patient left to call. */
  | "none_left"
  /** Patients are due, and other agents took them at the same moment: the next look finds one. */
  | "being_handed_out";

export interface NoPatientReason {
  code: NoPatientCode;
  /** The campaign it is about (null: the organisation's campaigns as a whole). */
  campaign: { id: string; name: string } | null;
  /** French, shown as is in the agent's console. */
  text: string;
  /** When a patient of this campaign can be handed out, when that is known. */
  at: Date | null;
}

export interface NoPatientExplanation {
  /** The reason that decides when the agent gets a patient (the earliest campaign's). */
  code: NoPatientCode;
  nextPossibleAt: Date | null;
  /** One per campaign the agent works, or one for the organisation. */
  reasons: NoPatientReason[];
}

const LEVELS = `generate_series(0, ${PRIORITY_GROUPS.length - 1})`;
const PATIENT = `FROM "Enrolment" e JOIN "Patient" p ON p."id" = e."patientId"`;
const WAITING = `e."campaignId" = c."id" AND e."dialState" = 'waiting' AND e."eligible" AND NOT p."optOut"`;

// $1 organisation, $2 agent.
const EXPLAIN_SQL = `WITH
  open AS MATERIALIZED (SELECT c.*, ${agentWorksCampaignSql("c", "$2::uuid")} AS "mine" FROM "Campaign" c
    WHERE c."organisationId" = $1::uuid AND c."status" IN ('running', 'paused'))
  SELECT (SELECT "team" FROM "User" WHERE "id" = $2::uuid) AS "team",
    COALESCE((SELECT json_agg(json_build_object('name', o."name", 'status', o."status", 'mine', o."mine") ORDER BY o."name") FROM open o), '[]') AS "open",
    COALESCE((SELECT json_agg(x ORDER BY x."name") FROM (SELECT c."id", c."name", row_to_json(c) AS "campaign",
      (SELECT row_to_json(y) FROM (SELECT q.* FROM ${LEVELS} lvl CROSS JOIN LATERAL (SELECT e."dueAt", e."dueAt" = e."deferredUntil" AS "deferred", p."inseeCode" ${PATIENT}
          WHERE ${WAITING} AND e."priority" = lvl AND e."callbackAgentId" IS NULL ORDER BY e."dueAt" LIMIT 1) q
        ORDER BY q."dueAt" LIMIT 1) y) AS "queue",
      (SELECT row_to_json(y) FROM (SELECT e."dueAt", p."inseeCode" ${PATIENT}
        WHERE e."callbackAgentId" = $2::uuid AND ${WAITING} ORDER BY e."dueAt" LIMIT 1) y) AS "ownCallback",
      (SELECT row_to_json(y) FROM (SELECT e."dueAt" + make_interval(mins => c."callbackGraceMinutes") AS "dueAt", p."inseeCode", u."name" AS "agentName" ${PATIENT}
          LEFT JOIN "User" u ON u."id" = e."callbackAgentId"
        WHERE e."callbackAgentId" IS NOT NULL AND e."callbackAgentId" <> $2::uuid AND ${WAITING} ORDER BY e."dueAt" LIMIT 1) y) AS "otherCallback",
      (SELECT count(*)::int FROM "Enrolment" h WHERE h."campaignId" = c."id" AND h."dialState" = 'held') AS "held"
      FROM open c WHERE c."status" = 'running' AND c."mine") x), '[]') AS "campaigns"`;

interface Next { dueAt: string; inseeCode: string | null }
interface Row {
  team: string | null;
  open: { name: string; status: "running" | "paused"; mine: boolean }[];
  campaigns: {
    id: string; name: string; campaign: RuleColumns;
    queue: (Next & { deferred: boolean | null }) | null; ownCallback: Next | null; otherCallback: (Next & { agentName: string | null }) | null; held: number;
  }[];
}

const names = (list: { name: string }[]) => list.map((c) => `« ${c.name} »`).join(", ");

export async function explainNoPatient(client: pg.PoolClient | pg.Pool, agent: { id: string; organisationId: string }, now = new Date()): Promise<NoPatientExplanation> {
  const { rows: [row] } = await client.query<Row>(EXPLAIN_SQL, [agent.organisationId, agent.id]);
  if (!row.campaigns.length) {
    const reason = organisationReason(row);
    return { code: reason.code, nextPossibleAt: null, reasons: [reason] };
  }
  const reasons = row.campaigns.map((c) => campaignReason(c, now));
  // The campaign that hands out a patient first decides; without any time, patients with other agents may come back.
  const timed = reasons.filter((r) => r.at).sort((a, b) => a.at!.getTime() - b.at!.getTime());
  const first = timed[0] ?? reasons.find((r) => r.code === "held_by_others") ?? reasons[0];
  return { code: first.code, nextPossibleAt: first.at, reasons };
}

function organisationReason(row: Row): NoPatientReason {
  const others = row.open.filter((c) => c.status === "running");
  if (others.length) {
    const team = row.team ? `votre équipe, « ${row.team} », n'y figure pas` : "vous n'êtes dans aucune équipe";
    const what = others.length === 1 ? `La campagne en cours, ${names(others)}, est confiée` : `Les campagnes en cours (${names(others)}) sont confiées`;
    return { code: "not_on_campaign", campaign: null, at: null, text: `${what} à d'autres agents ou équipes (${team}) : demandez à la coordination de vous y ajouter.` };
  }
  const paused = row.open.filter((c) => c.mine);
  const text = paused.length
    ? `Aucune campagne n'est en cours : ${paused.length === 1 ? `votre campagne ${names(paused)} est en pause` : `vos campagnes ${names(paused)} sont en pause`}.`
    : "Aucune campagne n'est en cours dans votre organisation.";
  return { code: "no_running_campaign", campaign: null, at: null, text };
}

function campaignReason(c: Row["campaigns"][number], now: Date): NoPatientReason {
  const campaign = { id: c.id, name: c.name };
  const rules = rulesOf(c.campaign);
  const later = (iso: string) => new Date(Math.max(new Date(iso).getTime(), now.getTime()));
  // When each source could hand out its first patient: the queue within the patient's calling window, a callback the
  // patient asked for at its time (rule 4's exception), one reserved for another agent once its grace has run out.
  const options: { code: "not_due" | "outside_window"; at: Date | null; zone: string; text: (when: string) => string }[] = [];
  if (c.queue) {
    const due = later(c.queue.dueAt);
    const zone = timeZoneOf(c.queue.inseeCode);
    const closedNow = checkCallingWindow(now, c.queue.inseeCode, rules);
    const window = checkCallingWindow(due, c.queue.inseeCode, rules);
    if (!closedNow.open && (due.getTime() === now.getTime() || c.queue.deferred)) {
      // Due now, or put off by a claim to the next opening of the window (the claim hands those back): the window is the reason.
      const at = closedNow.nextOpening && new Date(Math.max(closedNow.nextOpening.getTime(), due.getTime()));
      options.push({ code: "outside_window", at, zone, text: () => closedWindowText(closedNow, true, zone) });
    } else if (window.open) {
      options.push({ code: "not_due", at: due, zone, text: (when) => `Des patients restent à appeler, mais aucun n'est dû avant le ${when}.` });
    } else {
      options.push({ code: "not_due", at: window.nextOpening, zone, text: () => `Des patients restent à appeler, mais aucun n'est dû avant le ${formatLocal(due, zone)}. ${closedWindowText(window, false, zone)}` });
    }
  }
  if (c.ownCallback) {
    options.push({ code: "not_due", at: later(c.ownCallback.dueAt), zone: timeZoneOf(c.ownCallback.inseeCode), text: (when) => `Des patients restent à appeler, mais aucun n'est dû avant le ${when} (un rappel que vous avez noté).` });
  }
  if (c.otherCallback) {
    const who = c.otherCallback.agentName ?? "l'agent qui l'a noté";
    options.push({ code: "not_due", at: later(c.otherCallback.dueAt), zone: timeZoneOf(c.otherCallback.inseeCode), text: (when) => `Des patients restent à appeler, mais aucun n'est dû avant le ${when} (un rappel réservé jusque-là à ${who}).` });
  }
  const next = options.filter((o) => o.at).sort((a, b) => a.at!.getTime() - b.at!.getTime())[0] ?? options[0];
  if (!next) {
    if (c.held) {
      return { code: "held_by_others", campaign, at: null, text: c.held === 1
        ? "Le dernier patient à appeler est en ce moment avec un autre agent : s'il n'est pas joint, il reviendra dans la file."
        : `Les ${c.held} derniers patients à appeler sont en ce moment avec d'autres agents : ceux qui ne sont pas joints reviendront dans la file.` };
    }
    return { code: "none_left", campaign, at: null, text: "Plus aucun patient éligible à appeler : tous ont été traités, ou ne sont pas éligibles." };
  }
  if (next.at && next.at.getTime() <= now.getTime()) {
    return { code: "being_handed_out", campaign, at: next.at, text: "Des patients sont dus, mais d'autres agents viennent de les prendre : le prochain vous sera présenté dans un instant." };
  }
  return { code: next.code, campaign, at: next.at, text: next.text(next.at ? formatLocal(next.at, next.zone) : "") };
}
