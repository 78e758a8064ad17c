// Eligibility and priority are stored on each enrolment when a listing brings the patient into a campaign. What the
// patient is changes afterwards: another campaign's listing says they now have a GP or are opposed, or they have a
// birthday (17: may be called; 70: the 70+ priority; the age in the label). This re-assesses the open enrolments of
// the given patients from the patient as now stored, with each campaign's own rules, and writes those that changed.
import type pg from "pg";
import type { PriorityGroup } from "../campaigns/schemas.ts";
import { assessPatient, type PatientFacts } from "./assessPatient.ts";

interface EnrolmentFacts extends PatientFacts {
  id: string;
  priorityOrder: PriorityGroup[];
  requiresContactConsent: boolean;
  eligible: boolean;
  ineligibleReason: string | null;
  priority: number;
  priorityLabel: string;
}

// Open enrolments only: a patient done in a campaign stays as their last call left them; a closed campaign calls nobody.
const OPEN_ENROLMENTS = `SELECT e."id", e."eligible", e."ineligibleReason", e."priority", e."priorityLabel", c."priorityOrder", c."requiresContactConsent",
    to_char(p."birthDate", 'YYYY-MM-DD') AS "birthDate", p."ald", p."css", p."hasMt", p."optOut", p."consentContact", jsonb_array_length(p."phones") AS "phoneCount"
  FROM "Enrolment" e JOIN "Campaign" c ON c."id" = e."campaignId" JOIN "Patient" p ON p."id" = e."patientId"
  WHERE e."patientId" = ANY($1::uuid[]) AND e."campaignId" IS DISTINCT FROM $2::uuid AND e."dialState" <> 'done' AND c."status" <> 'closed'`;

const WRITE = `UPDATE "Enrolment" e SET "eligible" = u.e, "ineligibleReason" = u.r, "priority" = u.pr, "priorityLabel" = u.l, "updatedAt" = now()
  FROM unnest($1::uuid[], $2::boolean[], $3::text[], $4::int[], $5::text[]) AS u(id, e, r, pr, l) WHERE e."id" = u.id`;

/**
 * `today`: the organisation's calendar date (yyyy-mm-dd). `exceptCampaignId`: a campaign whose enrolments the
 * caller writes itself (the importing one). Returns how many enrolments changed.
 */
export async function reassessEnrolments(client: pg.PoolClient, patientIds: string[], today: string, exceptCampaignId: string | null = null): Promise<number> {
  if (!patientIds.length) return 0;
  const { rows } = await client.query<EnrolmentFacts>({ name: "reassess-open-enrolments", text: OPEN_ENROLMENTS, values: [patientIds, exceptCampaignId] });
  const changed = rows.flatMap((row) => {
    const a = assessPatient(row, { priorityOrder: row.priorityOrder, requiresContactConsent: row.requiresContactConsent }, today);
    const same = a.eligible === row.eligible && a.ineligibleReason === row.ineligibleReason && a.priority === row.priority && a.priorityLabel === row.priorityLabel;
    return same ? [] : [{ id: row.id, ...a }];
  });
  if (changed.length) {
    await client.query({
      name: "reassess-write-enrolments",
      text: WRITE,
      values: [changed.map((c) => c.id), changed.map((c) => c.eligible), changed.map((c) => c.ineligibleReason), changed.map((c) => c.priority), changed.map((c) => c.priorityLabel)],
    });
  }
  return changed.length;
}
