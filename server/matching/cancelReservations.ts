// A reservation the patient can no longer take up ends at once and frees its place: the patient died, moved, opposed
// any call, refused, already has a GP, withdrew their consent to share their identity, or their identity was erased.
// Only reservations waiting for the GP's answer: a confirmed orientation is the GP's patient, kept as it was.
import type pg from "pg";

export const CANCELLED_BY = "annulation automatique";

/** Outcomes of a later call that end a reservation, and the reason it then gives. */
export const OUTCOMES_ENDING_RESERVATIONS: Record<string, string> = {
  deceased: "patient décédé", moved: "patient parti du territoire", opposed: "le patient s'oppose à tout appel",
  has_mt: "le patient a déjà un médecin traitant", refused: "le patient a refusé la démarche",
};

/** The one cancellation, as SQL: reservations of `patients` (a uuid or a uuid[] expression) end with `why`. */
function cancelSql(p: { patients: string; now: string; why: string; when?: string }): string {
  return `UPDATE "Orientation" SET "status" = 'cancelled', "answeredAt" = ${p.now}, "answeredByLabel" = '${CANCELLED_BY}', "declineReason" = ${p.why}
       WHERE "patientId" = ANY(${p.patients}) AND "status" = 'reserved'${p.when ? ` AND ${p.when}` : ""}`;
}

/** The same cancellation inside the outcome's one statement (recordOutcome): `outcome` and `patient` are its
 * parameters, `when` what must hold for the outcome to have been written. */
export function cancelOnOutcomeSql(p: { outcome: string; patient: string; now: string; when: string }): string {
  const reasons = Object.entries(OUTCOMES_ENDING_RESERVATIONS).map(([o, why]) => `WHEN '${o}' THEN '${why.replace(/'/g, "''")}'`).join(" ");
  const ending = `${p.outcome}::text IN (${Object.keys(OUTCOMES_ENDING_RESERVATIONS).map((o) => `'${o}'`).join(", ")})`;
  return cancelSql({ patients: `ARRAY[${p.patient}::uuid]`, now: p.now, why: `CASE ${p.outcome}::text ${reasons} END`, when: `${ending} AND ${p.when}` });
}

export async function cancelReservations(client: pg.PoolClient, patientIds: readonly string[], why: string, now = new Date()): Promise<string[]> {
  if (!patientIds.length) return [];
  const { rows } = await client.query<{ id: string }>(`${cancelSql({ patients: "$1::uuid[]", now: "$2", why: "$3" })} RETURNING "id"`, [patientIds, now, why]);
  return rows.map((r) => r.id);
}
