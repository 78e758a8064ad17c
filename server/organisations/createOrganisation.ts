import type { Tx } from "../db.ts";
import { errors } from "../errors.ts";
import { writeAudit, type AuditEntry } from "../audit/writeAudit.ts";
import { publicOrganisation, type OrganisationInput } from "./schemas.ts";
import { zoneOfTerritory } from "./timeZone.ts";

export async function createOrganisation(tx: Tx, input: OrganisationInput, actor: Pick<AuditEntry, "actorUserId" | "actorLabel" | "ip">) {
  const existing = await tx.organisation.findUnique({ where: { kind_name: { kind: input.kind, name: input.name } } });
  if (existing) throw errors.conflict(`L'organisation ${input.kind} « ${input.name} » existe déjà.`);
  const territory = [...new Set(input.territory)];
  const timeZone = input.timeZone ?? zoneOfTerritory(territory);
  const organisation = await tx.organisation.create({ data: { ...input, territory, timeZone } });
  await writeAudit(tx, {
    ...actor,
    action: "organisation.create",
    organisationId: organisation.id,
    targetType: "organisation",
    targetId: organisation.id,
    details: { kind: input.kind, name: input.name, communes: territory.length, timeZone },
  });
  return publicOrganisation(organisation);
}
