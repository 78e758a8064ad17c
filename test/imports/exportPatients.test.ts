// The campaign's patients exported: the CSV opens in a French Excel with its codes intact (INSEE 01053, postal code
// 01000, phone +33612345678, fund identifier 00123), its dates jj/mm/aaaa and its counts as numbers; the JSON is the
// machine's export, values exact.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { exportPatients } from "../../server/imports/exportPatients.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { importFile } from "../factories/imports.ts";
import { makeUser } from "../factories/organisations.ts";
import { pgPool } from "../../server/pgPool.ts";

async function exported(campaignId: string, format: "csv" | "json", who: { organisationId: string; actorUserId: string | null; actorLabel?: string }) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  await exportPatients(campaignId, format, out, who);
  return Buffer.concat(chunks).toString("utf8");
}

/** The cells of a CSV line written by frenchCsv (« ; », cells quoted with doubled quotes). */
const cellsOf = (line: string) => [...line.matchAll(/(?:^|;)("(?:[^"]|"")*"|[^;]*)/g)].map((m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replace(/""/g, '"') : m[1]));

describe("the patients export", () => {
  it("CSV for Excel: codes written as text, dates and counts as Excel reads them; JSON exact", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id);
    await importFile(org, campaign.id, [
      "IDENTIFIANT;NOM;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_POSTAL;CODE_INSEE;ALD",
      "00123;DUPONT;Élodie;12/03/1950;06 12 34 56 78;01000;01053;oui",
      "C2;MARTIN;Paul;01/02/1948;06 12 34 56 79 / 07 81 22 33 44;42000;42218;non",
    ]);
    const { user } = await makeUser(org.id, "coordinator");
    const csv = await exported(campaign.id, "csv", { organisationId: org.id, actorUserId: user.id });
    expect(csv.startsWith("\uFEFFIdentifiant;Identifiant caisse;Nom;")).toBe(true);
    const [header, ...lines] = csv.slice(1).trimEnd().split("\r\n");
    expect(csv.split("\r\n")).toHaveLength(lines.length + 2); // CRLF only
    const columns = header.split(";");
    const row = (externalId: string) => Object.fromEntries(cellsOf(lines.find((l) => cellsOf(l)[1] === externalId)!).map((c, i) => [columns[i], c]));
    expect(row('="00123"')).toMatchObject({
      "Nom": "DUPONT", "Prénom": "Élodie", "Date de naissance": "12/03/1950", "Téléphones": '="+33612345678"', "Code INSEE": '="01053"',
      "Code postal": '="01000"', "Priorité": "1", "Tentatives": "0",
    });
    expect(row("C2")).toMatchObject({ "Téléphones": '="+33612345679 +33781223344"', "Code INSEE": '="42218"', "Code postal": '="42000"' });

    const json = JSON.parse(await exported(campaign.id, "json", { organisationId: org.id, actorUserId: null, actorLabel: "cli" }));
    expect(json.find((p: { externalId: string }) => p.externalId === "00123")).toMatchObject({
      inseeCode: "01053", postalCode: "01000", birthDate: "1950-03-12", phones: [{ e164: "+33612345678" }], priority: 0, attempts: 0,
    });

    // rule 7: each patient exported is an identity read of theirs, by whom, from which export (found by the patient)
    const reads = await pgPool().query(
      `SELECT "targetId", "actorUserId", "actorLabel", "details" FROM "AuditLog" WHERE "organisationId" = $1 AND "action" = 'patient.identity.read' ORDER BY "id"`, [org.id]);
    const patients = json.map((p: { id: string }) => p.id).sort();
    expect(reads.rows.filter((r) => r.actorUserId === user.id).map((r) => r.targetId).sort()).toEqual(patients);
    expect(reads.rows.filter((r) => r.actorLabel === "cli").map((r) => r.targetId).sort()).toEqual(patients);
    expect(reads.rows[0].details).toEqual({ via: "patient_export", campaignId: campaign.id, format: "csv" });
  });
});
