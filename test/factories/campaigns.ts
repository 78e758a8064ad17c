import { randomUUID } from "node:crypto";
import { db } from "../../server/db.ts";

export async function makeCampaign(organisationId: string, overrides: Partial<{ name: string; type: "ald_sans_mt" | "retirement" | "regularisation"; requiresContactConsent: boolean; priorityOrder: string[] }> = {}) {
  return db().campaign.create({
    data: { organisationId, name: overrides.name ?? `Campagne ${randomUUID().slice(0, 8)}`, type: overrides.type ?? "ald_sans_mt", ...overrides },
  });
}

/** An import waiting for its column mapping (as after an unsure detection). */
export async function makeUploadedImport(organisationId: string, campaignId: string) {
  return db().import.create({
    data: {
      organisationId, campaignId, kind: "patients", fileName: "listing.csv", fileSize: 10n, fileHash: "x", status: "uploaded",
      preview: { headers: ["NOM", "PRENOM", "DDN"], rows: [], proposal: {}, missingRequired: [], unmapped: [], savedMapping: false },
    },
  });
}
