// A campaign paused or closed hands out no patient; the patients its agents hold without a call yet go back to the
// queue at once (their agents were left with a card they could not call, untold). A call in progress keeps its
// patient: its outcome is still recorded. The agents go back to « ready » (other campaigns may have patients).
import type pg from "pg";
import { setAgentStatus } from "./setAgentStatus.ts";

export interface ReleasedHold {
  enrolmentId: string;
  agentId: string;
  state: { status: string; pauseReason: string | null; since: Date };
}

export async function releaseCampaignHolds(client: pg.PoolClient, campaign: { id: string; organisationId: string }, now = new Date()): Promise<ReleasedHold[]> {
  const { rows } = await client.query<{ id: string; heldBy: string }>(
    `WITH back AS (SELECT e."id", e."heldBy" FROM "Enrolment" e WHERE e."campaignId" = $1 AND e."dialState" = 'held'
         AND NOT EXISTS (SELECT 1 FROM "CallAttempt" a WHERE a."enrolmentId" = e."id" AND a."outcome" IS NULL) FOR UPDATE)
     UPDATE "Enrolment" e SET "dialState" = 'waiting', "heldBy" = NULL, "heldUntil" = NULL, "updatedAt" = now()
     FROM back WHERE e."id" = back."id" RETURNING e."id", back."heldBy"`,
    [campaign.id],
  );
  const released: ReleasedHold[] = [];
  for (const r of rows) {
    const state = await setAgentStatus(client, { id: r.heldBy, organisationId: campaign.organisationId }, "ready", null, now);
    released.push({ enrolmentId: r.id, agentId: r.heldBy, state });
  }
  return released;
}
