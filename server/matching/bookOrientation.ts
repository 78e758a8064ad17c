// The agent books a place for the patient they hold (rule 2): the holder is re-checked with the
// same rules as the proposals, then the reservation is inserted; a trigger counts the place under
// the holder's row lock and refuses it when none is left, so concurrent bookings never overbook.
import type pg from "pg";
import { AppError, errors } from "../errors.ts";
import { hasConsent } from "../consent/currentConsents.ts";
import { findCandidates, type HolderKind } from "./findCandidates.ts";

const NO_PLACE = new AppError("no_place_left", 409, "Plus de place chez ce médecin ou cette équipe : choisissez une autre proposition.");
// Same code: under concurrency the last place is most often seen gone here rather than at the insert.
const NOT_PROPOSABLE = new AppError("no_place_left", 409,
  "Ce médecin ou cette équipe ne peut pas être réservé pour ce patient (plus de place, au-delà de la distance de la campagne, ou n'accepte pas les ALD) : choisissez une autre proposition.");

export async function bookOrientation(client: pg.PoolClient, agent: { id: string; organisationId: string }, holder: { kind: HolderKind; id: string }, now = new Date()) {
  const { rows } = await client.query(
    `SELECT e."id", e."campaignId", e."patientId", c."reservationDays",
            EXISTS (SELECT 1 FROM "CallAttempt" a WHERE a."enrolmentId" = e."id" AND a."agentId" = $1 AND a."outcome" IS NULL) AS "inCall"
     FROM "Enrolment" e JOIN "Campaign" c ON c."id" = e."campaignId"
     WHERE e."heldBy" = $1 AND c."organisationId" = $2 FOR UPDATE OF e`,
    [agent.id, agent.organisationId],
  );
  const held = rows[0];
  if (!held) throw errors.noPatient();
  // A place is booked with the patient on the line: during the call of this hold, before its outcome.
  if (!held.inCall) throw errors.conflict("Appelez le patient avant de réserver : aucun appel n'est en cours avec lui.");
  if (!(await hasConsent(client, held.patientId, "share_identity"))) {
    throw new AppError("consent_required", 409, "Le patient doit d'abord accepter que son identité soit transmise au médecin ou à l'équipe.");
  }
  const { candidates: [candidate] } = await findCandidates(client, { organisationId: agent.organisationId, enrolmentId: held.id }, holder);
  if (!candidate) {
    const exists = await client.query(`SELECT 1 FROM "${holder.kind === "gp" ? "Gp" : "Team"}" WHERE "id" = $1 AND "organisationId" = $2`, [holder.id, agent.organisationId]);
    if (!exists.rowCount) throw new AppError("not_found", 404, "Médecin ou équipe introuvable.");
    throw NOT_PROPOSABLE;
  }
  const expiresAt = new Date(now.getTime() + held.reservationDays * 86_400_000);
  try {
    const { rows: booked } = await client.query(
      `INSERT INTO "Orientation" ("id", "organisationId", "campaignId", "enrolmentId", "patientId", "gpId", "teamId", "assignedGpId", "basis", "distanceKm", "bookedById", "reservedAt", "expiresAt")
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $5, $7, $8, $9, $10, $11) RETURNING "id", "status", "reservedAt", "expiresAt"`,
      [agent.organisationId, held.campaignId, held.id, held.patientId, holder.kind === "gp" ? holder.id : null, holder.kind === "team" ? holder.id : null,
        candidate.basis, candidate.distanceKm, agent.id, now, expiresAt],
    );
    await client.query(`UPDATE "Enrolment" SET "reorientReason" = NULL, "updatedAt" = now() WHERE "id" = $1`, [held.id]);
    return { ...booked[0], holder: candidate, enrolmentId: held.id as string, patientId: held.patientId as string };
  } catch (err) {
    const e = err as { message?: string; constraint?: string };
    if (e.message === "no_place_left") throw NO_PLACE;
    if (e.constraint === "Orientation_one_live_per_patient") throw new AppError("already_oriented", 409, "Ce patient a déjà une orientation en cours.");
    throw err;
  }
}
