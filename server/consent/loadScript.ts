// The campaign's current script (its highest version). A campaign without one gets version 1,
// the default for its type, on first read: every consent can cite the wording that was read.
import type pg from "pg";
import { defaultScript, type ScriptQuestions } from "./defaultScript.ts";
import type { CampaignType } from "../generated/prisma/client.ts";

export interface ScriptVersionView {
  id: string;
  campaignId: string;
  version: number;
  body: string;
  questions: ScriptQuestions;
  createdAt: Date;
}

const CURRENT = `SELECT "id", "campaignId", "version", "body", "questions", "createdAt" FROM "ScriptVersion" WHERE "campaignId" = $1 ORDER BY "version" DESC LIMIT 1`;

export async function loadScript(client: pg.PoolClient | pg.Pool, campaign: { id: string; type: CampaignType }): Promise<ScriptVersionView> {
  const found = await client.query<ScriptVersionView>(CURRENT, [campaign.id]);
  if (found.rows[0]) return found.rows[0];
  const d = defaultScript(campaign.type);
  await client.query(
    `INSERT INTO "ScriptVersion" ("id", "campaignId", "version", "body", "questions") VALUES (gen_random_uuid(), $1, 1, $2, $3)
     ON CONFLICT ("campaignId", "version") DO NOTHING`,
    [campaign.id, d.body, d.questions],
  );
  return (await client.query<ScriptVersionView>(CURRENT, [campaign.id])).rows[0];
}
