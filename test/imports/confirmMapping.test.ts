// A mapping given through the API is checked before the import runs: a malformed one (an unknown field, a list for one
// column, one column for two fields) would have every row rejected for a wrong reason (« nom manquant »).
import { describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { confirmMapping } from "../../server/imports/prepareImport.ts";
import { makeCampaign, makeUploadedImport } from "../factories/campaigns.ts";
import { makeOrganisation } from "../factories/organisations.ts";

describe("confirmMapping", () => {
  it("refuses a malformed mapping with its reason, and keeps the import waiting", async () => {
    const org = await makeOrganisation();
    const imp = await makeUploadedImport(org.id, (await makeCampaign(org.id)).id); // headers NOM, PRENOM, DDN
    const refusal = (mapping: Record<string, number | number[]>) => confirmMapping(db(), imp.id, mapping as never, false).then(() => null, (e: { userMessage: string }) => e.userMessage);
    expect(await refusal({ lastName: [0, 0], birthDate: 2, phones: [1] })).toBe("Correspondance invalide : « lastName » prend une seule colonne.");
    expect(await refusal({ lastName: 0, birthDate: 2, phones: 1 })).toBe("Correspondance invalide : « phones » prend une liste de colonnes, par exemple [3, 4].");
    expect(await refusal({ lastName: 0, birthDate: 0, phones: [1] })).toBe("Correspondance invalide : la colonne 1 (« NOM ») est donnée deux fois : à « lastName » et à « birthDate ».");
    expect(await refusal({ lastName: 0, birthDate: 2, phones: [1], surname: 1 })).toMatch(/^Correspondance invalide : champ inconnu : « surname » \(champs possibles : externalId, /);
    expect((await db().import.findUniqueOrThrow({ where: { id: imp.id } })).status).toBe("uploaded");
  });
});
