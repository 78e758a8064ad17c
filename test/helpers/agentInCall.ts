// An agent logged in over HTTP, in a simulated call with the one patient of a new running campaign open day and night
// (so that the test does not depend on the hour it runs at).
import type { Express } from "express";
import { pgPool } from "../../server/pgPool.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { loginAs, type LoggedIn } from "./api.ts";

export const ALWAYS_OPEN = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [["00:00", "24:00"]]]));

export async function agentInCall(app: Express): Promise<{ agent: LoggedIn; attemptId: string; enrolmentId: string; orgId: string }> {
  const agent = await loginAs(app, "agent");
  const orgId = agent.user.organisationId;
  const campaign = await makeCampaign(orgId, { status: "running" } as never);
  await pgPool().query(`UPDATE "Campaign" SET "callingWindows" = $2, "skipPublicHolidays" = false WHERE "id" = $1`, [campaign.id, ALWAYS_OPEN]);
  const [e] = await makeEnrolledPatients(orgId, campaign.id, 1);
  await agent.agent.post("/api/agent/status").set("x-csrf-token", agent.csrf).send({ status: "ready" }).expect(200);
  const call = await agent.agent.post("/api/agent/call").set("x-csrf-token", agent.csrf).expect(201);
  return { agent, attemptId: call.body.attemptId, enrolmentId: e.id, orgId };
}
