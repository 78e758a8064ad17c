import { randomUUID } from "node:crypto";
import type { Role } from "../../shared-types/events.ts";
import { db } from "../../server/db.ts";
import { hashPassword } from "../../server/auth/password.ts";

export async function makeOrganisation(overrides: Partial<{ kind: "CPAM" | "MSA" | "CPTS"; name: string; territory: string[] }> = {}) {
  return db().organisation.create({
    data: { kind: overrides.kind ?? "CPTS", name: overrides.name ?? `CPTS test ${randomUUID().slice(0, 8)}`, territory: overrides.territory ?? ["42218"] },
  });
}

const hashes = new Map<string, Promise<string>>();

export async function makeUser(organisationId: string, role: Role, overrides: Partial<{ email: string; name: string; password: string; active: boolean }> = {}) {
  const password = overrides.password ?? "mot-de-passe-de-test-12";
  if (!hashes.has(password)) hashes.set(password, hashPassword(password));
  const user = await db().user.create({
    data: {
      organisationId,
      role,
      email: overrides.email ?? `${role}-${randomUUID().slice(0, 8)}@test.fr`,
      name: overrides.name ?? `Test ${role}`,
      active: overrides.active ?? true,
      passwordHash: await hashes.get(password)!,
    },
  });
  return { user, password };
}
