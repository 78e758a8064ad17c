import { z } from "zod";
import { timeZoneInput } from "./timeZone.ts";

/** Commune INSEE code: 5 characters, 2A/2B for Corsica (not a postal code). */
export const inseeCode = z.string().trim().toUpperCase().regex(/^(\d{5}|2[AB]\d{3})$/, "code INSEE de commune invalide (5 caractères, 2A/2B pour la Corse)");

export const organisationInput = z.object({
  kind: z.enum(["CPAM", "MSA", "CPTS"], { message: "type d'organisation : CPAM, MSA ou CPTS" }),
  name: z.string().trim().min(2, "nom trop court").max(200),
  territory: z.array(inseeCode).max(5000).default([]),
  /** Default: the zone of the territory's communes when they share one, else Paris. */
  timeZone: timeZoneInput.optional(),
});
export type OrganisationInput = z.infer<typeof organisationInput>;
