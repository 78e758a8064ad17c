import type { Tx } from "../db.ts";
import { errors } from "../errors.ts";
import { writeAudit, type AuditEntry } from "../audit/writeAudit.ts";
import type { CampaignInput } from "./schemas.ts";

export async function createCampaign(tx: Tx, organisationId: string, input: CampaignInput, actor: Pick<AuditEntry, "actorUserId" | "actorLabel" | "ip">) {
  if (!(await tx.organisation.findUnique({ where: { id: organisationId } }))) throw errors.notFound("Organisation");
  if (await tx.campaign.findUnique({ where: { organisationId_name: { organisationId, name: input.name } } })) {
    throw errors.conflict(`Une campagne « ${input.name} » existe déjà dans l'organisation.`);
  }
  const campaign = await tx.campaign.create({ data: { organisationId, ...input } });
  await writeAudit(tx, { ...actor, action: "campaign.create", organisationId, targetType: "campaign", targetId: campaign.id, details: { name: input.name, type: input.type } });
  return campaign;
}

/** The campaign if it belongs to the organisation; 404 otherwise (never reveals another organisation's campaign). */
export async function findCampaign(tx: Tx, organisationId: string | null, campaignId: string) {
  const campaign = await tx.campaign.findUnique({ where: { id: campaignId } });
  if (!campaign || (organisationId !== null && campaign.organisationId !== organisationId)) throw errors.notFound("Campagne");
  return campaign;
}

/** The campaign a listing is imported into: a closed one takes no more patients. */
export async function findCampaignForListing(tx: Tx, organisationId: string | null, campaignId: string) {
  const campaign = await findCampaign(tx, organisationId, campaignId);
  if (campaign.status === "closed") throw errors.conflict("Cette campagne est clôturée : elle ne reçoit plus de listing.");
  return campaign;
}
