import type { Tx } from "../db.ts";
import { errors } from "../errors.ts";
import { writeAudit, type AuditEntry } from "../audit/writeAudit.ts";
import { hashPassword } from "../auth/password.ts";
import { publicUser, type UserInput } from "./schemas.ts";

/** Hash first (slow, outside any transaction), then call inside one. */
export async function prepareUser(input: UserInput) {
  const { password, ...rest } = input;
  return { ...rest, passwordHash: await hashPassword(password) };
}

export async function createUser(
  tx: Tx,
  organisationId: string,
  prepared: Awaited<ReturnType<typeof prepareUser>>,
  actor: Pick<AuditEntry, "actorUserId" | "actorLabel" | "ip">,
) {
  const organisation = await tx.organisation.findUnique({ where: { id: organisationId } });
  if (!organisation) throw errors.notFound("Organisation");
  if (await tx.user.findUnique({ where: { email: prepared.email } })) {
    throw errors.conflict(`Un utilisateur existe déjà avec l'e-mail ${prepared.email}.`);
  }
  const user = await tx.user.create({ data: { ...prepared, organisationId } });
  await writeAudit(tx, {
    ...actor,
    action: "user.create",
    organisationId,
    targetType: "user",
    targetId: user.id,
    details: { email: user.email, role: user.role },
  });
  return publicUser(user);
}
