import type { SessionEndReason } from "../../shared-types/events.ts";
import type { Tx } from "../db.ts";
import { errors } from "../errors.ts";
import { writeAudit, type AuditEntry } from "../audit/writeAudit.ts";
import { hashPassword } from "../auth/password.ts";
import { publicUser, type UserPatch } from "./schemas.ts";

export async function preparePatch(patch: UserPatch) {
  const { password, ...rest } = patch;
  return { ...rest, ...(password ? { passwordHash: await hashPassword(password) } : {}) };
}

/** Changes a user of the organisation; deactivating or changing the password or role closes their sessions, and says
 * which of these closed them (for their consoles). */
export async function updateUser(
  tx: Tx,
  organisationId: string,
  userId: string,
  prepared: Awaited<ReturnType<typeof preparePatch>>,
  actor: Pick<AuditEntry, "actorUserId" | "actorLabel" | "ip">,
) {
  const current = await tx.user.findFirst({ where: { id: userId, organisationId } });
  if (!current) throw errors.notFound("Utilisateur");
  if (actor.actorUserId === userId && (prepared.active === false || (prepared.role && prepared.role !== "admin"))) {
    throw errors.conflict("Vous ne pouvez pas retirer vos propres droits d'administration.");
  }
  const user = await tx.user.update({ where: { id: userId }, data: prepared });
  const sessionsEnded: SessionEndReason | null =
    prepared.active === false ? "deactivated"
    : prepared.role && prepared.role !== current.role ? "role_changed"
    : prepared.passwordHash ? "password_changed"
    : null;
  if (sessionsEnded) await tx.session.deleteMany({ where: { userId } });
  const { passwordHash, ...changed } = prepared;
  await writeAudit(tx, {
    ...actor,
    action: "user.update",
    organisationId,
    targetType: "user",
    targetId: userId,
    details: { ...changed, ...(passwordHash ? { password: "changé" } : {}) },
  });
  return { user: publicUser(user), sessionsEnded };
}
