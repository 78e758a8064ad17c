// What the agent sees of the patient they hold — identity and phones only while holding them
// (rule 7), and every such read written to the audit log.
import type pg from "pg";
import { loadCommunes } from "../geo/communes.ts";
import { ageOn } from "../eligibility/assessPatient.ts";
import { errors } from "../errors.ts";
import { calendarDate } from "../organisations/timeZone.ts";
import { rulesOf } from "./callingRules.ts";
import { timeZoneOf } from "../geo/timeZoneOf.ts";

// One statement: the card, its call history, and the audit row of this read (written only when there is a card).
const CARD_SQL = `WITH card AS (SELECT e."id" AS "enrolmentId", e."campaignId", e."priorityLabel", e."attempts", e."phoneIndex", e."wrongPhones", e."callbackAt", e."heldUntil", e."reorientReason",
       c."name" AS "campaignName", c."dialMode", row_to_json(c) AS campaign,
       p."id" AS "patientId", p."lastName", p."birthName", p."firstName", to_char(p."birthDate", 'YYYY-MM-DD') AS "birthDate", p."sex",
       p."phones", p."address", p."postalCode", p."inseeCode", p."ald", p."css", p."relationRpps",
       o."timeZone" AS "organisationZone", o."telephonyProvider" AS "telephony"
     FROM "Enrolment" e JOIN "Campaign" c ON c."id" = e."campaignId" JOIN "Patient" p ON p."id" = e."patientId" JOIN "Organisation" o ON o."id" = c."organisationId"
     WHERE e."heldBy" = $1 AND c."organisationId" = $2),
   audit AS (INSERT INTO "AuditLog" ("organisationId", "actorUserId", "action", "targetType", "targetId", "ip", "details")
     SELECT $2, $1, 'patient.identity.read', 'patient', card."patientId"::text, $3, json_build_object('enrolmentId', card."enrolmentId", 'via', 'agent_card') FROM card)
 SELECT card.*, COALESCE((SELECT json_agg(h ORDER BY h."createdAt") FROM (SELECT a."attemptNumber", a."phone", a."createdAt", a."outcome", a."comment", a."callbackAt",
       a."callStatus", a."answeredBy", a."endReason", a."provider", a."id", a."outcome" IS NULL AS "open" FROM "CallAttempt" a WHERE a."enrolmentId" = card."enrolmentId") h), '[]') AS "history"
 FROM card`;

interface HistoryRow { attemptNumber: number; phone: string; createdAt: string; outcome: string | null; comment: string | null; callbackAt: string | null; callStatus: string; answeredBy: string | null; endReason: string | null; provider: string; id: string; open: boolean }

export async function loadPatientCard(client: pg.PoolClient | pg.Pool, agent: { id: string; organisationId: string }, meta: { ip?: string }) {
  const { rows } = await client.query({ name: "card", text: CARD_SQL, values: [agent.id, agent.organisationId, meta.ip ?? null] });
  const r = rows[0];
  if (!r) return null;
  const history = r.history as HistoryRow[];
  const phones = (r.phones as { e164: string; type: string }[]).map((p) => ({ ...p, wrong: (r.wrongPhones as string[]).includes(p.e164) }));
  const usable = phones.filter((p) => !p.wrong);
  const commune = r.inseeCode ? loadCommunes().byCode.get(r.inseeCode) : undefined;
  const open = history.find((h) => h.open);
  return {
    enrolmentId: r.enrolmentId as string,
    campaign: { id: r.campaignId as string, name: r.campaignName as string, dialMode: r.dialMode as "preview" | "progressive", rules: rulesOf(r.campaign) },
    patient: {
      id: r.patientId as string,
      lastName: r.lastName as string, birthName: r.birthName as string | null, firstName: r.firstName as string | null,
      birthDate: r.birthDate as string, age: ageOn(r.birthDate, calendarDate(new Date(), r.organisationZone)), sex: r.sex as string | null,
      address: r.address as string | null, postalCode: r.postalCode as string | null,
      commune: commune ? { inseeCode: commune.inseeCode, name: commune.name } : null,
      ald: r.ald as boolean, css: r.css as boolean, relationRpps: r.relationRpps as string | null,
      phones,
      currentPhone: usable.length ? usable[r.phoneIndex % usable.length].e164 : null,
      /** The patient's local time zone (their commune's): the agent speaks of hours in it, a callback is typed in it. */
      timeZone: timeZoneOf(r.inseeCode),
    },
    why: r.priorityLabel as string,
    /** Set when a GP or team declined the patient or let the reservation expire: propose another. */
    reorientReason: r.reorientReason as string | null,
    callbackAt: r.callbackAt as Date | null,
    heldUntil: r.heldUntil as Date,
    openAttempt: open ? { id: open.id as string, phone: open.phone as string, callStatus: open.callStatus as string, answeredBy: open.answeredBy, endReason: open.endReason, provider: open.provider } : null,
    /** The organisation's telephony: "manual" when agents dial from their own phone. */
    telephony: r.telephony as "simulator" | "manual" | "twilio",
    history: history.filter((h) => !h.open).map((h) => ({ attemptNumber: h.attemptNumber, phone: h.phone, at: h.createdAt, outcome: h.outcome, comment: h.comment, callbackAt: h.callbackAt })),
  };
}
export type PatientCard = NonNullable<Awaited<ReturnType<typeof loadPatientCard>>>;

export function assertHolding<T>(card: T | null): T {
  if (!card) throw errors.noPatient();
  return card;
}
