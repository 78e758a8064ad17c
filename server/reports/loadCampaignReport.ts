// Everything the campaign report shows, aggregates only (no identity): the funnel with its rates,
// outcomes by attempt number, reach by hour and weekday, per agent, per GP/team, per commune
// (small counts suppressed), and the time from import to orientation.
import type pg from "pg";
import { campaignFunnel, FUNNEL_NOTE, funnelWithRates } from "./campaignFunnel.ts";
import { outcomesByAttempt } from "./outcomesByAttempt.ts";
import { reachByTime } from "./reachByTime.ts";
import { agentActivity } from "./agentActivity.ts";
import { holderActivity } from "./holderActivity.ts";
import { communeActivity } from "./communeActivity.ts";
import { timeToOrientation } from "./timeToOrientation.ts";

export async function loadCampaignReport(client: pg.Pool, campaign: { id: string; name: string; type: string; status: string; createdAt: Date; closedAt: Date | null }) {
  const [funnel, outcomes, reach, agents, holders, communes, delays] = await Promise.all([
    campaignFunnel(client, campaign.id),
    outcomesByAttempt(client, campaign.id),
    reachByTime(client, campaign.id),
    agentActivity(client, campaign.id),
    holderActivity(client, campaign.id),
    communeActivity(client, campaign.id),
    timeToOrientation(client, campaign.id),
  ]);
  return {
    campaign: { id: campaign.id, name: campaign.name, type: campaign.type, status: campaign.status, createdAt: campaign.createdAt, closedAt: campaign.closedAt },
    generatedAt: new Date(),
    funnel: { counts: funnel, stages: funnelWithRates(funnel), note: FUNNEL_NOTE },
    outcomesByAttempt: outcomes,
    reachByTime: reach,
    agents,
    holders,
    communes,
    timeToOrientation: delays,
  };
}

export type CampaignReport = Awaited<ReturnType<typeof loadCampaignReport>>;
