// A GP or team declares its capacity ("prenez-vous de nouveaux patients ? combien ? ALD ?"), through
// its link or a coordinator on its behalf. A capacity below the places already taken is accepted:
// existing reservations are kept, new bookings are refused until places free up (rule 2).
import type pg from "pg";
import { z } from "zod";
import { errors } from "../errors.ts";
import { refreshTeams } from "./refreshTeams.ts";

export const capacityInput = z.object({
  acceptsNew: z.boolean({ message: "indiquez si vous prenez de nouveaux patients" }),
  capacity: z.number({ message: "nombre de places attendu" }).int("nombre entier attendu").min(0, "0 ou plus").max(5000, "5 000 au plus"),
  acceptsAld: z.boolean({ message: "indiquez si vous acceptez les patients en ALD" }),
});
export type CapacityInput = z.infer<typeof capacityInput>;

export async function declareCapacity(
  client: pg.PoolClient,
  holder: { kind: "gp" | "team"; id: string; organisationId: string },
  input: CapacityInput,
  who: { userId: string | null; label: string; ip?: string },
  now = new Date(),
) {
  const table = holder.kind === "gp" ? "Gp" : "Team";
  const { rows } = await client.query(
    `UPDATE "${table}" SET "acceptsNew" = $3, "capacity" = $4, "acceptsAld" = $5, "capacityDeclaredAt" = $6${holder.kind === "gp" ? `, "updatedAt" = now()` : ""}
     WHERE "id" = $1 AND "organisationId" = $2 RETURNING "id", "acceptsNew", "capacity", "acceptsAld", "taken", "capacityDeclaredAt"${holder.kind === "gp" ? `, "teamId"` : ""}`,
    [holder.id, holder.organisationId, input.acceptsNew, input.capacity, input.acceptsAld, now],
  );
  if (!rows[0]) throw errors.notFound(holder.kind === "gp" ? "Médecin" : "Équipe");
  // A doctor of a team: the team's pooled capacity is the sum of its doctors' until the team declares its own.
  if (rows[0].teamId) await refreshTeams(client, [rows[0].teamId]);
  delete rows[0].teamId;
  await client.query(
    `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "actorLabel", "action", "targetType", "targetId", "ip", "details") VALUES ($1, $2, $3, 'capacity.declare', $4, $5, $6, $7)`,
    [holder.organisationId, who.userId, who.label, holder.kind, holder.id, who.ip ?? null, { ...input, onBehalf: who.userId !== null }],
  );
  return rows[0] as { id: string; acceptsNew: boolean; capacity: number; acceptsAld: boolean; taken: number; capacityDeclaredAt: Date };
}
