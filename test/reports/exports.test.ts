// Exports through the API: French Excel CSV (BOM, ";", dd/mm/yyyy), XLSX workbooks that open,
// every export audited, every identity exported logged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import type { Response } from "supertest";
import { pgPool } from "../../server/pgPool.ts";
import { loginAs, startTestApp, type LoggedIn, type TestApp } from "../helpers/api.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { makeTeam, recordConsentFor } from "../factories/matching.ts";
import { makeStories, parisWinter } from "../factories/reports.ts";

let t: TestApp;
let orgId: string;
let campaignId: string;
let teamId: string;
let coordinator: LoggedIn;
let patientIds: string[];

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on("data", (c: Buffer) => chunks.push(c));
  res.on("end", () => cb(null, Buffer.concat(chunks)));
};
async function workbook(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

beforeAll(async () => {
  t = await startTestApp();
  orgId = (await makeOrganisation({ territory: ["42218", "42095"] })).id;
  campaignId = (await makeCampaign(orgId, { name: "ALD Loire" })).id;
  const agent = (await makeUser(orgId, "agent")).user.id;
  teamId = (await makeTeam(orgId, { name: "MSP du Pilat" })).id;
  const at = parisWinter("2026-03-03T10:00:00");
  const stories = Array.from({ length: 7 }, (_, i) => ({
    attempts: [{ outcome: "reached", agentId: agent, at, durationSeconds: 60 }],
    consents: [{ purpose: "share_identity" as const, granted: true, at }],
    orientation: { status: i < 5 ? ("confirmed" as const) : ("reserved" as const), teamId, bookedById: agent, reservedAt: at, answeredAt: i < 5 ? at : undefined },
  }));
  patientIds = (await makeStories(orgId, campaignId, stories)).map((s) => s.patientId);
  coordinator = await loginAs(t.app, "coordinator", orgId);
});
afterAll(() => t.close());

describe("report exports", () => {
  it("the campaign report as CSV: one table, BOM, semicolons, decimal commas, audited", async () => {
    const res = await coordinator.agent.get(`/api/campaigns/${campaignId}/report/export?format=csv&table=funnel`).expect(200);
    expect(res.headers["content-type"]).toMatch(/text\/csv/);
    expect(res.headers["content-disposition"]).toMatch(/rapport-ALD_Loire-.*-funnel\.csv/);
    expect(res.text.startsWith("\uFEFF")).toBe(true);
    const lines = res.text.slice(1).split("\r\n");
    expect(lines[0]).toBe("Étape;Patients;% de l'étape précédente;% des importés");
    expect(lines[1]).toBe("Importés;7;;100");
    expect(lines).toContain("Orientés;7;100;100");
    expect(lines).toContain("Confirmés par le médecin;5;71,4;71,4");
    const audit = await pgPool().query(`SELECT "details" FROM "AuditLog" WHERE "organisationId" = $1 AND "action" = 'report.export' ORDER BY "id" DESC LIMIT 1`, [orgId]);
    expect(audit.rows[0].details).toMatchObject({ report: "campaign", format: "csv", table: "funnel" });
    await coordinator.agent.get(`/api/campaigns/${campaignId}/report/export?format=csv&table=nope`).expect(400);
  });

  it("the campaign report as XLSX: one sheet per table", async () => {
    const res = await coordinator.agent.get(`/api/campaigns/${campaignId}/report/export?format=xlsx`).buffer(true).parse(binary).expect(200);
    const wb = await workbook(res.body);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Entonnoir", "Résultats par tentative", "Joignabilité par heure", "Joignabilité par jour", "Agents", "Médecins et équipes", "Communes", "Délai d'orientation"]);
    expect(wb.getWorksheet("Entonnoir")!.getRow(2).values).toEqual([undefined, "Importés", 7, undefined, 100]);
    expect(wb.getWorksheet("Médecins et équipes")!.getRow(2).getCell(2).value).toBe("MSP du Pilat");
  });

  it("the territorial diagnosis and the before/after, CSV and XLSX", async () => {
    const csv = await coordinator.agent.get("/api/reports/territory/export?format=csv").expect(200);
    expect(csv.text.slice(1).split("\r\n")[0]).toMatch(/^Code INSEE;Commune;Population;Patients de 17 ans et plus sans médecin traitant;/);
    expect(csv.text).toMatch(/"=""42218""";Saint-Étienne;\d+;7;/); // the code stays text in Excel, the counts numbers
    const xlsx = await coordinator.agent.get("/api/reports/territory/export").buffer(true).parse(binary).expect(200);
    const diagnosis = await workbook(xlsx.body);
    expect(diagnosis.worksheets.map((w) => w.name)).toEqual(["Diagnostic par commune", "Âge des médecins"]);
    // counts are numbers a spreadsheet sums; only a suppressed cell is text
    const sheet = diagnosis.getWorksheet("Diagnostic par commune")!;
    const saintEtienne = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === "42218")!;
    expect([typeof saintEtienne.getCell(3).value, saintEtienne.getCell(4).value]).toEqual(["number", 7]);
    const ages = diagnosis.getWorksheet("Âge des médecins")!.getColumn(2).values.slice(2);
    expect(ages.length).toBeGreaterThan(0);
    expect(ages.every((v) => typeof v === "number" || v === "< 5" || v === "masqué")).toBe(true);
    const ba = await coordinator.agent.get("/api/reports/before-after/export?format=csv&from=2026-03-01&to=2026-03-31").expect(200);
    const lines = ba.text.slice(1).split("\r\n");
    expect(lines[0]).toContain("Patients orientés — période (01/03/2026 au 31/03/2026)");
    expect(lines[1]).toBe("Organisation (total);0;7;0;5;0;0");
    await coordinator.agent.get("/api/reports/before-after?from=2026-03-31&to=2026-03-01").expect(400);
  });

  it("the oriented patients with identities: streamed, every identity logged, filters by holder and status", async () => {
    const before = (await pgPool().query(`SELECT count(*)::int AS n FROM "AuditLog" WHERE "organisationId" = $1 AND "action" = 'patient.identity.read'`, [orgId])).rows[0].n;
    // one confirmed patient has since withdrawn their leave to pass on their identity
    await recordConsentFor(orgId, patientIds[0], "share_identity", false, new Date());
    const res = await coordinator.agent.get(`/api/campaigns/${campaignId}/report/orientations?format=csv&status=confirmed&holderId=${teamId}`).expect(200);
    const lines = res.text.slice(1).trim().split("\r\n");
    expect(lines[0]).toBe("Médecin ou équipe;RPPS;Nom;Prénom;Date de naissance;Commune;ALD;Statut;Réservée le;Réponse le;Orientation");
    expect(lines).toHaveLength(6);
    expect(lines.filter((l) => /^MSP du Pilat;;DUPONT\d;Camille;15\/06\/1950;Saint-Étienne;oui;confirmée;03\/03\/2026 10:00;03\/03\/2026 10:00;/.test(l))).toHaveLength(4);
    expect(lines.filter((l) => l.startsWith("MSP du Pilat;;(identité non transmise : le patient n'a pas ou plus donné son accord);;;;oui;confirmée;"))).toHaveLength(1);
    expect(res.text).not.toMatch(/\+336/); // no phone: the patient agreed to pass on name, birth date and commune only
    const after = (await pgPool().query(`SELECT count(*)::int AS n FROM "AuditLog" WHERE "organisationId" = $1 AND "action" = 'patient.identity.read'`, [orgId])).rows[0].n;
    expect(after - before).toBe(4);
    const xlsx = await coordinator.agent.get(`/api/campaigns/${campaignId}/report/orientations`).buffer(true).parse(binary).expect(200);
    const sheet = (await workbook(xlsx.body)).getWorksheet("Patients orientés")!;
    expect(sheet.actualRowCount).toBe(8);
    const reserved = sheet.getRow(2).getCell(9).value as Date;
    expect(reserved.toISOString()).toBe("2026-03-03T10:00:00.000Z"); // Paris wall-clock time, as Excel shows it
    expect(patientIds).toHaveLength(7);
  });
});
