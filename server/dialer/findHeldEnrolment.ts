// The enrolment an agent holds right now, with its campaign; 409 when they hold none.
import type pg from "pg";
import { errors } from "../errors.ts";
import type { CampaignType } from "../generated/prisma/client.ts";

export interface HeldEnrolment {
  enrolmentId: string;
  patientId: string;
  reorientReason: string | null;
  campaign: { id: string; type: CampaignType };
}

export async function findHeldEnrolment(client: pg.Pool | pg.PoolClient, agent: { id: string; organisationId: string }): Promise<HeldEnrolment> {
  const { rows } = await client.query({
    name: "held-enrolment",
    text: `SELECT e."id", e."patientId", e."reorientReason", c."id" AS "campaignId", c."type" FROM "Enrolment" e JOIN "Campaign" c ON c."id" = e."campaignId"
     WHERE e."heldBy" = $1 AND c."organisationId" = $2`,
    values: [agent.id, agent.organisationId],
  });
  const r = rows[0];
  if (!r) throw errors.noPatient();
  return { enrolmentId: r.id, patientId: r.patientId, reorientReason: r.reorientReason, campaign: { id: r.campaignId, type: r.type } };
}
