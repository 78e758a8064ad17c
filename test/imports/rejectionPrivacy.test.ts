// A rejected row carries the listing's identities: its NIR is masked before it is stored, the rows themselves
// (rejections.csv, the preview of the first rows) go only to the roles that may export identities, and each download
// of the rejected rows is written to the audit log.
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { randomInt } from "node:crypto";
import { db } from "../../server/db.ts";
import { pgPool } from "../../server/pgPool.ts";
import { AUDIT_ACTION_LABELS } from "../../shared-types/auditLabels.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { loginAs, type LoggedIn } from "../helpers/api.ts";
import { importSettled, useAppWithWorker } from "../helpers/imports.ts";
import { makeTempDir, NIR_CORSE, NIR_PARIS } from "./parsing/makeListing.ts";

const t = useAppWithWorker();
const dir = makeTempDir();

const NIR_WRONG_KEY = "150037511504281"; // a real-looking number with a typo in its key: still somebody's NIR
const HEADER = "IDENTIFIANT;NOM;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE;NIR";
const ROWS = [
  `N001;MARTIN;Paul;01/02/1950;06 12 34 56 78;75115;${NIR_CORSE}`, // accepted
  `N002;PETIT;Luc;11/11/1955;06 12 34;01053;${NIR_PARIS}`, // rejected: no valid phone
  `N003;DURAND;Anne;31/02/1950;06 98 76 54 32;01053;${NIR_WRONG_KEY}`, // rejected: impossible birth date
];

function upload(me: LoggedIn, campaignId: string, text: string, name: string) {
  const path = `${dir}/${name}`;
  writeFileSync(path, text);
  return me.agent.post(`/api/campaigns/${campaignId}/imports`).set("X-CSRF-Token", me.csrf).attach("file", path, name).expect(202);
}

const digitsOf = (nir: string) => [nir, nir.slice(0, 13), nir.slice(1)];

/** A NIR of this test only (its key: 97 − the number mod 97), so that finding it anywhere means this test stored it. */
function uniqueNir(sex: 1 | 2) {
  const body = `${sex}${String(randomInt(40, 99))}${String(randomInt(1, 12)).padStart(2, "0")}42218${String(randomInt(1, 999)).padStart(3, "0")}`;
  return `${body}${String(97 - Number(BigInt(body) % 97n)).padStart(2, "0")}`;
}

/** The tables of the database whose rows, read as text, contain `needle` (the uploaded files' bytes are looked at as bytes). */
async function tablesHolding(needle: string) {
  const { rows: tables } = await pgPool().query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`);
  const found: string[] = [];
  for (const { name } of tables) {
    const { rows: [r] } = await pgPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}" t WHERE strpos(t::text, $1) > 0`, [needle]);
    if (r.n) found.push(name);
  }
  const { rows: [files] } = await pgPool().query<{ n: number }>(`SELECT count(*)::int AS n FROM "ImportChunk" WHERE position(convert_to($1, 'UTF8') IN "data") > 0`, [needle]);
  if (files.n) found.push("ImportChunk (bytes)");
  return found;
}

describe("rejected rows and privacy", () => {
  it("stores and sends back a rejected row without its NIR; only the coordinator downloads it, each time audited", async () => {
    const coordinator = await loginAs(t.app, "coordinator");
    const supervisor = await loginAs(t.app, "supervisor", coordinator.user.organisationId);
    const campaign = await makeCampaign(coordinator.user.organisationId);
    const imported = await importSettled(coordinator, (await upload(coordinator, campaign.id, `${HEADER}\r\n${ROWS.join("\r\n")}\r\n`, "f10_nir.csv")).body.id);
    expect(imported.status).toBe("done");
    expect(imported.counts).toMatchObject({ accepted: 1, rejected: 2 });

    // In the database: the NIR cell masked (first character and length), the other cells as the fund gave them.
    const stored = await db().importRejection.findMany({ where: { importId: imported.id }, orderBy: { line: "asc" } });
    expect(stored.map((r) => r.cells)).toEqual([
      ["N002", "PETIT", "Luc", "11/11/1955", "06 12 34", "01053", "1••••••••••••••"],
      ["N003", "DURAND", "Anne", "31/02/1950", "06 98 76 54 32", "01053", "1••••••••••••••"],
    ]);
    for (const nir of [NIR_PARIS, NIR_WRONG_KEY]) for (const part of digitsOf(nir)) expect(JSON.stringify(stored)).not.toContain(part);

    // The supervisor reads the import's counts and reasons, not the rows.
    const seen = await supervisor.agent.get(`/api/imports/${imported.id}`).expect(200);
    expect(seen.body.counts.rejected).toBe(2);
    expect(seen.body.rejected).toEqual([
      { line: 3, reason: expect.stringMatching(/aucun numéro de téléphone valide/) },
      { line: 4, reason: expect.stringMatching(/date de naissance/) },
    ]);
    const refused = await supervisor.agent.get(`/api/imports/${imported.id}/rejections.csv`).expect(403);
    expect(refused.body.error.code).toBe("forbidden");

    // The coordinator downloads them: no NIR in the file, one audit entry per download.
    for (let i = 0; i < 2; i++) {
      const csv = await coordinator.agent.get(`/api/imports/${imported.id}/rejections.csv`).expect(200);
      const text = csv.text.replace(/^\uFEFF/, "");
      for (const nir of [NIR_PARIS, NIR_WRONG_KEY]) for (const part of digitsOf(nir)) expect(text).not.toContain(part);
      expect(text.trim().split("\r\n")[1]).toMatch(/^3;N002;PETIT;Luc;11\/11\/1955;"=""06 12 34""";"=""01053""";1•{14};aucun numéro de téléphone valide/);
    }
    const audit = await db().auditLog.findMany({ where: { organisationId: coordinator.user.organisationId, action: "import.rejections_export" }, orderBy: { id: "asc" } });
    expect(audit).toHaveLength(2);
    for (const entry of audit) {
      expect(entry).toMatchObject({ actorUserId: coordinator.user.id, targetType: "import", targetId: imported.id });
      expect(entry.details).toMatchObject({ count: 2, fileName: "f10_nir.csv", campaignId: campaign.id });
    }
    expect(AUDIT_ACTION_LABELS["import.rejections_export"]).toMatch(/lignes rejetées/);
  });

  it("keeps no NIR in clear anywhere once the import is done: not in the rows, the rejections, nor the uploaded file", async () => {
    const coordinator = await loginAs(t.app, "coordinator");
    const campaign = await makeCampaign(coordinator.user.organisationId);
    const [accepted, rejected] = [uniqueNir(1), uniqueNir(2)];
    const text = `${HEADER}\r\nN101;MARTIN;Paul;01/02/1950;06 12 34 56 78;42218;${accepted}\r\nN102;PETIT;Luc;11/11/1955;06 12 34;42218;${rejected}\r\n`;
    const imported = await importSettled(coordinator, (await upload(coordinator, campaign.id, text, "nir_partout.csv")).body.id);
    expect(imported).toMatchObject({ status: "done", counts: { accepted: 1, rejected: 1 } });
    for (const nir of [accepted, rejected]) for (const part of digitsOf(nir)) expect(await tablesHolding(part), part).toEqual([]);
    // the patient is still recognised by their NIR: its keyed hash
    expect((await pgPool().query(`SELECT count(*)::int AS n FROM "Patient" WHERE "organisationId" = $1 AND "nirHash" IS NOT NULL`, [coordinator.user.organisationId])).rows[0].n).toBe(1);
  });

  it("masks the NIR in the preview of the first rows, shows them to the coordinator only, and drops them once mapped", async () => {
    const coordinator = await loginAs(t.app, "coordinator");
    const supervisor = await loginAs(t.app, "supervisor", coordinator.user.organisationId);
    const campaign = await makeCampaign(coordinator.user.organisationId);
    // headers nobody recognises: the coordinator maps them from the preview
    const text = `Col A;Col B;Col C;Col D;Col E;Col F\r\nPETIT;Luc;11/11/1955;06 12 34 56 78;01053;${NIR_PARIS}\r\n`;
    const uploaded = await importSettled(coordinator, (await upload(coordinator, campaign.id, text, "odd_nir.csv")).body.id);
    expect(uploaded.status).toBe("uploaded");
    expect(uploaded.needsMapping.rows).toEqual([{ line: 2, cells: ["PETIT", "Luc", "11/11/1955", "06 12 34 56 78", "01053", "1••••••••••••••"] }]);
    const stored = await db().import.findUniqueOrThrow({ where: { id: uploaded.id } });
    expect(JSON.stringify(stored.preview)).not.toContain(NIR_PARIS);
    const seen = await supervisor.agent.get(`/api/imports/${uploaded.id}`).expect(200);
    expect(seen.body.needsMapping.rows).toEqual([]);
    expect(seen.body.needsMapping.headers).toHaveLength(6);

    await coordinator.agent
      .put(`/api/imports/${uploaded.id}/mapping`).set("X-CSRF-Token", coordinator.csrf)
      .send({ mapping: { lastName: 0, firstName: 1, birthDate: 2, phones: [3], inseeCode: 4, nir: 5 } })
      .expect(202);
    expect((await importSettled(coordinator, uploaded.id)).status).toBe("done");
    const after = await db().import.findUniqueOrThrow({ where: { id: uploaded.id } });
    expect((after.preview as { rows: unknown[]; headers: string[] }).rows).toEqual([]);
    expect((after.preview as { headers: string[] }).headers).toHaveLength(6); // rejections.csv still names the columns
  });
});
