import { z } from "zod";
import { validateRpps } from "../imports/parsing/validateRpps.ts";

/** Campaign types as users and the CLI spell them, and as stored. */
export const CAMPAIGN_TYPES = { "ald-sans-mt": "ald_sans_mt", retirement: "retirement", regularisation: "regularisation" } as const;
export const CAMPAIGN_TYPE_LABELS = {
  ald_sans_mt: "ALD sans médecin traitant",
  retirement: "Cessation d'activité d'un médecin",
  regularisation: "Régularisation",
} as const;

export const PRIORITY_GROUPS = ["ald", "age70", "css", "other"] as const;
export type PriorityGroup = (typeof PRIORITY_GROUPS)[number];

/** The order in which the priority groups are called, each group once (first = called first). */
export const priorityOrder = z
  .array(z.enum(PRIORITY_GROUPS))
  .refine((a) => new Set(a).size === a.length && a.length === PRIORITY_GROUPS.length, "chaque groupe (ald, age70, css, other) une fois")
  .meta({ title: "Ordre de priorité" });

export const campaignType = z
  .enum(["ald-sans-mt", "retirement", "regularisation", "ald_sans_mt"], { message: "type : ald-sans-mt, retirement ou regularisation" })
  .transform((t) => (t === "ald_sans_mt" ? "ald_sans_mt" : CAMPAIGN_TYPES[t]));

export const campaignInput = z
  .object({
    name: z.string().trim().min(2, "nom trop court").max(200),
    type: campaignType,
    priorityOrder: priorityOrder.optional(),
    requiresContactConsent: z.boolean().optional(),
    // the roster's own check (11 digits and the Luhn key): a typo would silently lose "the leaving GP's team first"
    leavingGpRpps: z.string().transform((value, ctx) => {
      const checked = validateRpps(value);
      if (checked.ok) return checked.rpps;
      ctx.addIssue({ code: "custom", message: checked.reason });
      return z.NEVER;
    }).optional(),
  })
  .refine((c) => c.type !== "retirement" || c.leavingGpRpps, { message: "une campagne de cessation d'activité demande le RPPS du médecin qui part", path: ["leavingGpRpps"] });
export type CampaignInput = z.infer<typeof campaignInput>;
