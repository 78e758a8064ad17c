import { z } from "zod";
import { ROLES } from "../auth/policy.ts";
import { PASSWORD_MIN_LENGTH } from "../auth/password.ts";

export const email = z.string().trim().toLowerCase().pipe(z.email({ message: "adresse e-mail invalide" }));
export const password = z.string().min(PASSWORD_MIN_LENGTH, `au moins ${PASSWORD_MIN_LENGTH} caractères`).max(200);
export const role = z.enum(ROLES, { message: "rôle : admin, coordinator, supervisor ou agent" });

export const userInput = z.object({
  email,
  name: z.string().trim().min(1, "nom requis").max(200),
  role,
  password,
});
export type UserInput = z.infer<typeof userInput>;

export const userPatch = z
  .object({ name: z.string().trim().min(1).max(200), role, active: z.boolean(), password })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "aucune modification demandée");
export type UserPatch = z.infer<typeof userPatch>;

/** What any API or CLI shows of a user: never the hash. */
export function publicUser(u: { id: string; organisationId: string; email: string; name: string; role: string; active: boolean; createdAt: Date }) {
  return { id: u.id, organisationId: u.organisationId, email: u.email, name: u.name, role: u.role, active: u.active, createdAt: u.createdAt };
}
