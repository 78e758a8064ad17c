// A GP or team (through their link), or a coordinator on their behalf, confirms or declines a
// reservation. A team assigns the confirmed patient to one of its doctors. A decline frees the place
// at once (the trigger on Orientation) and puts the patient back to "to re-propose".
import type pg from "pg";
import { AppError, errors } from "../errors.ts";
import { reorientPatient } from "./reorientPatient.ts";
import { stillPractisingSql } from "./stillPractising.ts";

export type Answer = { decision: "confirm"; assignedGpId?: string } | { decision: "decline"; reason: string };

export interface Answerer {
  organisationId: string;
  /** Set when a coordinator answers for the GP or team. */
  userId: string | null;
  label: string;
  /** Set when the answer comes through a link: only that holder's orientations. */
  holder?: { gpId: string | null; teamId: string | null };
  ip?: string;
}

export async function answerOrientation(client: pg.PoolClient, who: Answerer, orientationId: string, answer: Answer, now = new Date()) {
  const { rows } = await client.query(
    `SELECT o.*, coalesce(g."lastName" || coalesce(' ' || g."firstName", ''), t."name") AS "holderName"
     FROM "Orientation" o LEFT JOIN "Gp" g ON g."id" = o."gpId" LEFT JOIN "Team" t ON t."id" = o."teamId"
     WHERE o."id" = $1 AND o."organisationId" = $2 FOR UPDATE OF o`,
    [orientationId, who.organisationId],
  );
  const o = rows[0];
  if (!o || (who.holder && (o.gpId !== who.holder.gpId || o.teamId !== who.holder.teamId))) throw errors.notFound("Orientation");
  if (o.status !== "reserved") {
    const said = { confirmed: "déjà confirmée", declined: "déjà refusée", expired: "expirée", cancelled: "annulée" }[o.status as string] ?? o.status;
    throw new AppError("orientation_closed", 409, `Cette orientation est ${said}.`);
  }
  let assignedGpId: string | null = o.gpId;
  if (answer.decision === "confirm" && o.teamId) {
    if (!answer.assignedGpId) throw errors.badRequest("Choisissez le médecin de l'équipe qui prend ce patient.");
    const { rows: [member] } = await client.query<{ takesNew: boolean; endOfActivity: string | null }>(
      `SELECT ${stillPractisingSql(`"Gp"`)} AS "takesNew", to_char("endOfActivity", 'DD/MM/YYYY') AS "endOfActivity" FROM "Gp" WHERE "id" = $1 AND "teamId" = $2`,
      [answer.assignedGpId, o.teamId]);
    if (!member) throw errors.badRequest("Ce médecin ne fait pas partie de l'équipe.");
    if (!member.takesNew) {
      throw errors.badRequest(`Ce médecin cesse son activité le ${member.endOfActivity} : il ne prend pas de nouveaux patients. Choisissez un autre médecin de l'équipe.`);
    }
    assignedGpId = answer.assignedGpId;
  }
  const declineReason = answer.decision === "decline" ? answer.reason.trim() : null;
  if (answer.decision === "decline" && !declineReason) throw errors.badRequest("Indiquez le motif du refus.");
  await client.query(
    `UPDATE "Orientation" SET "status" = $2, "assignedGpId" = $3, "answeredAt" = $4, "answeredByLabel" = $5, "answeredById" = $6, "declineReason" = $7 WHERE "id" = $1`,
    [o.id, answer.decision === "confirm" ? "confirmed" : "declined", answer.decision === "confirm" ? assignedGpId : null, now, who.label, who.userId, declineReason],
  );
  if (answer.decision === "decline") await reorientPatient(client, o.enrolmentId, `Refus de ${o.holderName} : ${declineReason}`, now);
  await client.query(
    `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "actorLabel", "action", "targetType", "targetId", "ip", "details") VALUES ($1, $2, $3, $4, 'orientation', $5, $6, $7)`,
    [who.organisationId, who.userId, who.label, `orientation.${answer.decision}`, o.id, who.ip ?? null, { patientId: o.patientId, onBehalf: who.userId !== null, reason: declineReason }],
  );
  return { id: o.id as string, status: answer.decision === "confirm" ? "confirmed" : "declined", assignedGpId: answer.decision === "confirm" ? assignedGpId : null, campaignId: o.campaignId as string };
}
