// A coordinator's edit of the script: always a new version (the old ones stay, consents cite them).
import type pg from "pg";
import { z } from "zod";
import { AppError } from "../errors.ts";
import { loadScript, type ScriptVersionView } from "./loadScript.ts";
import type { CampaignType } from "../generated/prisma/client.ts";

const question = z.string().trim().min(10, "la question doit être rédigée (10 caractères au moins)").max(1000);
/** The marks the agent's screen replaces in the script's text (ScriptPanel). */
export const SCRIPT_PLACEHOLDERS = ["patient", "agent", "organisation"] as const;
const unknownPlaceholders = (text: string) =>
  [...new Set([...text.matchAll(/\{([^{}\s]{1,40})\}/g)].map((m) => m[1]))].filter((p) => !(SCRIPT_PLACEHOLDERS as readonly string[]).includes(p));

export const scriptInput = z.object({
  body: z.string().trim().min(10, "le script doit être rédigé (10 caractères au moins)").max(20_000, "20 000 caractères au plus")
    .superRefine((text, ctx) => {
      const unknown = unknownPlaceholders(text);
      if (unknown.length) {
        ctx.addIssue({ code: "custom", message: `repère inconnu : ${unknown.map((p) => `{${p}}`).join(", ")} ; l'écran de l'agent ne remplace que ${SCRIPT_PLACEHOLDERS.map((p) => `{${p}}`).join(", ")}` });
      }
    })
    .meta({ title: "Texte lu au patient" }),
  questions: z.object({ contact: question, share_identity: question, mt_declaration: question }),
});
export type ScriptInput = z.infer<typeof scriptInput>;

export async function saveScriptVersion(
  client: pg.PoolClient,
  campaign: { id: string; type: CampaignType; organisationId: string },
  input: ScriptInput,
  actor: { id: string; ip?: string },
): Promise<ScriptVersionView> {
  const current = await loadScript(client, campaign);
  // Serialise concurrent edits on the campaign row: versions are numbered without gaps or duplicates.
  await client.query(`SELECT 1 FROM "Campaign" WHERE "id" = $1 FOR UPDATE`, [campaign.id]);
  const { rows } = await client.query<{ version: number }>(`SELECT max("version") AS "version" FROM "ScriptVersion" WHERE "campaignId" = $1`, [campaign.id]);
  const latest = rows[0]?.version ?? current.version;
  const sameQuestions = (Object.keys(input.questions) as (keyof ScriptInput["questions"])[]).every((k) => input.questions[k] === current.questions[k]);
  if (input.body === current.body && sameQuestions && latest === current.version) {
    throw new AppError("script_unchanged", 409, "Le script n'a pas changé : aucune nouvelle version créée.");
  }
  const saved = await client.query<ScriptVersionView>(
    `INSERT INTO "ScriptVersion" ("id", "campaignId", "version", "body", "questions", "createdById") VALUES (gen_random_uuid(), $1, $2, $3, $4, $5)
     RETURNING "id", "campaignId", "version", "body", "questions", "createdAt"`,
    [campaign.id, latest + 1, input.body, input.questions, actor.id],
  );
  await client.query(
    `INSERT INTO "AuditLog" ("organisationId", "actorUserId", "action", "targetType", "targetId", "ip", "details") VALUES ($1, $2, 'campaign.script', 'campaign', $3, $4, $5)`,
    [campaign.organisationId, actor.id, campaign.id, actor.ip ?? null, { version: latest + 1 }],
  );
  return saved.rows[0];
}
