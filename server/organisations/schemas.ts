import { z } from "zod";
import { loadCommunes } from "../geo/communes.ts";
import { timeZoneInput } from "./timeZone.ts";

/** Commune INSEE code: 5 characters, 2A/2B for Corsica (not a postal code), of a commune that exists. */
export const inseeCode = z.string().trim().toUpperCase()
  .regex(/^(\d{5}|2[AB]\d{3})$/, "code INSEE de commune invalide (5 caractères, 2A/2B pour la Corse)")
  .superRefine((code, ctx) => {
    const communes = loadCommunes();
    if (communes.byCode.has(code)) return;
    ctx.addIssue({ code: "custom", message: `code INSEE inconnu : « ${code} »${communes.byPostalCode.has(code) ? " (c'est un code postal ?)" : ""}` });
  });

export const organisationInput = z.object({
  kind: z.enum(["CPAM", "MSA", "CPTS"], { message: "type d'organisation : CPAM, MSA ou CPTS" }),
  name: z.string().trim().min(2, "nom trop court").max(200),
  territory: z.array(inseeCode).max(5000).default([]),
  /** Default: the zone of the territory's communes when they share one, else Paris. */
  timeZone: timeZoneInput.optional(),
});
export type OrganisationInput = z.infer<typeof organisationInput>;

/** An organisation as the API and the CLI show it: never its Twilio secrets, even encrypted. */
export function publicOrganisation(o: { id: string; kind: string; name: string; territory: string[]; timeZone: string; telephonyProvider: string; retentionMonths: number; createdAt: Date }) {
  return { id: o.id, kind: o.kind, name: o.name, territory: o.territory, timeZone: o.timeZone, telephonyProvider: o.telephonyProvider, retentionMonths: o.retentionMonths, createdAt: o.createdAt };
}
