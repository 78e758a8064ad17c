import { z } from "zod";
import { ROLES } from "../auth/policy.ts";
import { PASSWORD_MIN_LENGTH } from "../auth/password.ts";
import { normalisePhones } from "../imports/parsing/normalisePhone.ts";
import { teamName } from "../dialer/campaignAgents.ts";

export const email = z.string().trim().toLowerCase().pipe(z.email({ message: "adresse e-mail invalide" }));
export const password = z.string().min(PASSWORD_MIN_LENGTH, `au moins ${PASSWORD_MIN_LENGTH} caractères`).max(200);
export const role = z.enum(ROLES, { message: "rôle : admin (administrateur), coordinator (coordinateur), supervisor (superviseur) ou agent" });
/** The agent's own phone (bridged Twilio mode), written any way the French write it, stored E.164. */
export const phone = z.string().max(40).transform((v, ctx) => {
  const { phones, rejected } = normalisePhones(v);
  // « 06 12 34 56 78 / 12345 »: one number, and something that is not one; refused rather than half kept.
  if (phones.length !== 1 || rejected.length) {
    ctx.addIssue({ code: "custom", message: "un seul numéro de téléphone valide (06 12 34 56 78, +33 6 12 34 56 78…)" });
    return z.NEVER;
  }
  return phones[0].e164;
});

/** The agent's team or site; empty: none. */
const team = z.string().max(100).transform((v) => teamName(v) || null);

export const userInput = z.object({
  email: email.meta({ title: "Adresse e-mail" }),
  name: z.string().trim().min(1, "nom requis").max(200).meta({ title: "Nom" }),
  role: role.meta({ title: "Rôle" }),
  password: password.meta({ title: "Mot de passe" }),
  phone: phone.meta({ title: "Téléphone de l'agent" }).optional(),
  team: team.meta({ title: "Équipe" }).optional(),
});
export type UserInput = z.infer<typeof userInput>;

export const userPatch = z
  .object({
    name: z.string().trim().min(1).max(200).meta({ title: "Nom" }), role: role.meta({ title: "Rôle" }), active: z.boolean(),
    password: password.meta({ title: "Nouveau mot de passe" }), phone: phone.nullable().meta({ title: "Téléphone de l'agent" }),
    team: team.nullable().meta({ title: "Équipe" }),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, "aucune modification demandée");
export type UserPatch = z.infer<typeof userPatch>;

/** What any API or CLI shows of a user: never the hash. */
export function publicUser(u: { id: string; organisationId: string; email: string; name: string; role: string; active: boolean; phone?: string | null; team?: string | null; createdAt: Date }) {
  return { id: u.id, organisationId: u.organisationId, email: u.email, name: u.name, role: u.role, active: u.active, phone: u.phone ?? null, team: u.team ?? null, createdAt: u.createdAt };
}
