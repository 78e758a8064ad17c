// Médecin traitant declarations for the fund, on the real database: what is pending (current consent
// only), one batch per click even when two coordinators click at once, the fund's file, its answers.
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pgPool } from "../../server/pgPool.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { makeConsent, makeGp, makeOrientation, makePatient, makeTeam } from "../factories/orientations.ts";
import { loginAs, startTestApp, type LoggedIn, type TestApp } from "../helpers/api.ts";

let t: TestApp;
let orgId: string;
let me: LoggedIn;
let colleague: LoggedIn;
const ids: Record<string, string> = {};
const consents: Record<string, string> = {};
let gpA: { id: string; rpps: string };
let gpB: { id: string; rpps: string };
let otherDeclarationId: string;

const day = (iso: string) => new Date(`${iso}T09:00:00Z`);

beforeAll(async () => {
  t = await startTestApp();
  orgId = (await makeOrganisation()).id;
  me = await loginAs(t.app, "coordinator", orgId);
  colleague = await loginAs(t.app, "coordinator", orgId);
  const campaign = await makeCampaign(orgId);
  gpA = await makeGp(orgId, { lastName: "MARTIN", firstName: "Jeanne" });
  const team = await makeTeam(orgId, { name: "MSP du Pilat" });
  gpB = await makeGp(orgId, { lastName: "BERNARD", firstName: "Paul", teamId: team.id });

  const patient = async (key: string, birthDate = "1948-03-07") => (ids[key] = (await makePatient(orgId, { externalId: key, lastName: `NOM_${key}`, firstName: `Prénom ${key}`, birthDate })).id);
  // P1: confirmed with a GP, consent granted → pending
  await patient("P1", "1948-03-07");
  await makeOrientation(orgId, campaign.id, ids.P1, { gpId: gpA.id }, { answeredAt: new Date("2026-11-20T23:30:00Z") }); // 21/11 in Paris
  consents.P1 = (await makeConsent(orgId, ids.P1, "mt_declaration", true, day("2026-11-10"))).id;
  // P2: confirmed by a team, the team's doctor B takes them → pending with B's RPPS
  await patient("P2", "1955-12-31");
  await makeOrientation(orgId, campaign.id, ids.P2, { teamId: team.id, assignedGpId: gpB.id }, { answeredAt: day("2026-11-18") });
  consents.P2 = (await makeConsent(orgId, ids.P2, "mt_declaration", true, day("2026-11-10"))).id;
  // P3: granted, then withdrawn → not pending
  await patient("P3");
  await makeOrientation(orgId, campaign.id, ids.P3, { gpId: gpA.id });
  await makeConsent(orgId, ids.P3, "mt_declaration", true, day("2026-11-10"));
  await makeConsent(orgId, ids.P3, "mt_declaration", false, day("2026-11-12"));
  // P4: refused, then granted → pending, resting on the grant
  await patient("P4", "1960-01-02");
  await makeOrientation(orgId, campaign.id, ids.P4, { gpId: gpA.id }, { answeredAt: day("2026-11-19") });
  await makeConsent(orgId, ids.P4, "mt_declaration", false, day("2026-11-10"));
  consents.P4 = (await makeConsent(orgId, ids.P4, "mt_declaration", true, day("2026-11-15"))).id;
  // P5: reserved, not confirmed yet → not pending
  await patient("P5");
  await makeOrientation(orgId, campaign.id, ids.P5, { gpId: gpA.id }, { status: "reserved" });
  await makeConsent(orgId, ids.P5, "mt_declaration", true, day("2026-11-10"));
  // P6: confirmed, no consent at all; P7: confirmed, consent for another purpose only → not pending
  await patient("P6");
  await makeOrientation(orgId, campaign.id, ids.P6, { gpId: gpA.id });
  await patient("P7");
  await makeOrientation(orgId, campaign.id, ids.P7, { gpId: gpA.id });
  await makeConsent(orgId, ids.P7, "contact", true, day("2026-11-10"));
  await makeConsent(orgId, ids.P7, "share_identity", true, day("2026-11-10"));

  // Another organisation with its own pending declaration, already sent.
  const otherOrg = (await makeOrganisation()).id;
  const stranger = await loginAs(t.app, "coordinator", otherOrg);
  const otherCampaign = await makeCampaign(otherOrg);
  const otherGp = await makeGp(otherOrg);
  const otherPatient = await makePatient(otherOrg, { externalId: "P1" });
  await makeOrientation(otherOrg, otherCampaign.id, otherPatient.id, { gpId: otherGp.id });
  await makeConsent(otherOrg, otherPatient.id, "mt_declaration", true, day("2026-11-10"));
  await stranger.agent.post("/api/declarations/batches").set("X-CSRF-Token", stranger.csrf).expect(201);
  otherDeclarationId = (await pgPool().query(`SELECT "id" FROM "Declaration" WHERE "organisationId" = $1`, [otherOrg])).rows[0].id;
});
afterAll(() => t.close());

const auditCount = async (action: string, via?: string) =>
  Number((await pgPool().query(`SELECT count(*) AS n FROM "AuditLog" WHERE "organisationId" = $1 AND "action" = $2 AND ($3::text IS NULL OR "details"->>'via' = $3)`, [orgId, action, via ?? null])).rows[0].n);

function answerFile(lines: string[], encoding: "utf8" | "windows-1252" = "windows-1252") {
  return iconv.encode(lines.join("\r\n") + "\r\n", encoding);
}
const postAnswers = (body: Buffer, name = "retour.csv") => me.agent.post("/api/declarations/answers").set("X-CSRF-Token", me.csrf).attach("file", body, name);

describe("médecin traitant declarations", () => {
  it("lists as pending only confirmed orientations whose current mt_declaration consent is granted, and audits the names shown", async () => {
    const res = await me.agent.get("/api/declarations/pending").expect(200);
    expect(res.body.count).toBe(3);
    expect(res.body.items.map((i: { externalId: string }) => i.externalId)).toEqual(["P2", "P4", "P1"]); // by confirmation date
    const byId = Object.fromEntries(res.body.items.map((i: { externalId: string }) => [i.externalId, i]));
    expect(byId.P1).toMatchObject({ lastName: "NOM_P1", firstName: "Prénom P1", birthDate: "1948-03-07", consentId: consents.P1, gp: { rpps: gpA.rpps, lastName: "MARTIN", firstName: "Jeanne" } });
    expect(byId.P2.gp).toEqual({ rpps: gpB.rpps, lastName: "BERNARD", firstName: "Paul" });
    expect(byId.P4.consentId).toBe(consents.P4);
    expect(await auditCount("patient.identity.read", "declarations_pending")).toBe(3);
    // a page of one still gives the whole count
    const page = await me.agent.get("/api/declarations/pending?limit=1&offset=2").expect(200);
    expect(page.body).toMatchObject({ count: 3, items: [{ externalId: "P1" }] });
  });

  it("says how many declarations of a batch have no fund identifier for the patient (the fund must match them by name)", async () => {
    const org = (await makeOrganisation()).id;
    const coordinator = await loginAs(t.app, "coordinator", org);
    const campaign = await makeCampaign(org);
    const gp = await makeGp(org);
    for (const externalId of ["F1", null]) {
      const p = await makePatient(org, externalId ? { externalId } : {});
      await makeOrientation(org, campaign.id, p.id, { gpId: gp.id });
      await makeConsent(org, p.id, "mt_declaration", true, day("2026-11-10"));
    }
    const res = await coordinator.agent.post("/api/declarations/batches").set("X-CSRF-Token", coordinator.csrf).expect(201);
    expect(res.body).toEqual({ batchId: expect.any(String), count: 2, withoutFundIdentifier: 1 });
  });

  it("two coordinators clicking at once make one batch: each orientation declared once", async () => {
    const clicks = await Promise.all(
      [me, colleague, me, colleague, me, colleague].map((who) => who.agent.post("/api/declarations/batches").set("X-CSRF-Token", who.csrf)),
    );
    const created = clicks.filter((r) => r.status === 201);
    expect(created).toHaveLength(1);
    expect(created[0].body).toEqual({ batchId: expect.any(String), count: 3, withoutFundIdentifier: 0 });
    const refused = clicks.filter((r) => r.status === 409);
    expect(refused).toHaveLength(5);
    expect(refused[0].body.error).toEqual({ code: "nothing_pending", message: "Aucune déclaration en attente : rien à envoyer à la caisse." });

    const { rows } = await pgPool().query(
      `SELECT d.*, o."patientId" FROM "Declaration" d JOIN "Orientation" o ON o."id" = d."orientationId" WHERE d."organisationId" = $1`, [orgId]);
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.orientationId)).size).toBe(3);
    expect(new Set(rows.map((r) => r.batchId))).toEqual(new Set([created[0].body.batchId]));
    const byPatient = Object.fromEntries(rows.map((r) => [r.patientId, r]));
    expect(byPatient[ids.P1]).toMatchObject({ status: "sent", gpRpps: gpA.rpps, consentId: consents.P1, answeredAt: null });
    expect(byPatient[ids.P2]).toMatchObject({ gpRpps: gpB.rpps, consentId: consents.P2 });
    expect(byPatient[ids.P4]).toMatchObject({ gpRpps: gpA.rpps, consentId: consents.P4 });
    expect([me.user.id, colleague.user.id]).toContain(byPatient[ids.P1].sentById);
    expect((await me.agent.get("/api/declarations/pending").expect(200)).body).toEqual({ count: 0, items: [] });
  });

  it("gives the fund's file of a batch, French Excel CSV, audited, re-downloadable; 404 for another organisation's batch", async () => {
    const [batch] = (await me.agent.get("/api/declarations/batches").expect(200)).body;
    const res = await me.agent.get(`/api/declarations/batches/${batch.batchId}/file`).expect(200);
    expect(res.headers["content-type"]).toMatch(/text\/csv/);
    expect(res.text.startsWith("\uFEFF")).toBe(true);
    const lines = res.text.slice(1).trim().split("\r\n");
    expect(lines[0]).toBe("identifiant_patient;rpps_medecin;date_orientation;reference_consentement;reference_declaration;nom;prenom;date_naissance");
    expect(lines).toHaveLength(4);
    const { rows } = await pgPool().query(`SELECT d."id", o."patientId" FROM "Declaration" d JOIN "Orientation" o ON o."id" = d."orientationId" WHERE d."batchId" = $1`, [batch.batchId]);
    const declarationOf = Object.fromEntries(rows.map((r) => [r.patientId, r.id]));
    expect(lines).toContain(`P1;${gpA.rpps};21/11/2026;${consents.P1};${declarationOf[ids.P1]};NOM_P1;Prénom P1;07/03/1948`);
    expect(lines).toContain(`P2;${gpB.rpps};18/11/2026;${consents.P2};${declarationOf[ids.P2]};NOM_P2;Prénom P2;31/12/1955`);
    const again = await me.agent.get(`/api/declarations/batches/${batch.batchId}/file`).expect(200);
    expect(again.text).toBe(res.text);
    expect(await auditCount("declaration.export")).toBe(2);
    // each identity written out is logged for its patient, at each download
    const reads = (await pgPool().query(`SELECT "targetId" FROM "AuditLog" WHERE "organisationId" = $1 AND "action" = 'patient.identity.read' AND "details"->>'via' = 'declaration_file'`, [orgId])).rows;
    expect(reads).toHaveLength(2 * (lines.length - 1));

    const otherBatch = (await pgPool().query(`SELECT "batchId" FROM "Declaration" WHERE "id" = $1`, [otherDeclarationId])).rows[0].batchId;
    await me.agent.get(`/api/declarations/batches/${otherBatch}/file`).expect(404);
    await me.agent.get(`/api/declarations/batches/pas-un-uuid/file`).expect(400);
  });

  it("applies the fund's answers line by line, with the line number and a French reason for each unusable line; idempotent", async () => {
    const { rows } = await pgPool().query(
      `SELECT d."id", o."patientId" FROM "Declaration" d JOIN "Orientation" o ON o."id" = d."orientationId" WHERE d."organisationId" = $1`, [orgId]);
    const ref = Object.fromEntries(rows.map((r) => [r.patientId, r.id]));
    const file = answerFile([
      "reference_declaration,identifiant_patient,rpps_medecin,statut,motif",
      `${ref[ids.P1]},,,Déclaré,`, // 2
      `,P2,${gpB.rpps.slice(0, 3)} ${gpB.rpps.slice(3)},Rejeté,Patient déjà déclaré chez un autre médecin`, // 3
      ",,,,", // 4: blank (delimiters only): not a line of the answer
      `00000000-0000-4000-8000-000000000000,,,OK,`, // 5
      `${ref[ids.P4]},,,peut-être,`, // 6
      `${otherDeclarationId},,,accepté,`, // 7
      `${ref[ids.P4]},,,,`, // 8
      `,P9,${gpA.rpps},KO,`, // 9
      `pas-une-reference,,,OK,`, // 10
    ]);
    const res = await postAnswers(file).expect(200);
    expect(res.body.counts).toEqual({ rows: 8, declared: 1, rejected: 1, errors: 6, unchanged: 0 });
    expect(res.body.errors).toEqual([
      { line: 5, reason: "référence de déclaration inconnue : « 00000000-0000-4000-8000-000000000000 »" },
      { line: 6, reason: "statut inconnu : « peut-être » (attendu déclaré, enregistré, OK, accepté, rejeté, refusé ou KO)" },
      { line: 7, reason: `la déclaration « ${otherDeclarationId} » n'appartient pas à cette organisation` },
      { line: 8, reason: "statut manquant" },
      { line: 9, reason: `aucune déclaration envoyée pour le patient « P9 » et le médecin RPPS ${gpA.rpps}` },
      { line: 10, reason: "référence de déclaration invalide : « pas-une-reference »" },
    ]);
    const state = async () =>
      Object.fromEntries((await pgPool().query(`SELECT "id", "status", "answeredAt", "rejectReason" FROM "Declaration" WHERE "organisationId" = $1`, [orgId])).rows.map((r) => [r.id, r]));
    const after = await state();
    expect(after[ref[ids.P1]]).toMatchObject({ status: "declared", answeredAt: expect.any(Date), rejectReason: null });
    expect(after[ref[ids.P2]]).toMatchObject({ status: "rejected", answeredAt: expect.any(Date), rejectReason: "Patient déjà déclaré chez un autre médecin" });
    expect(after[ref[ids.P4]]).toMatchObject({ status: "sent", answeredAt: null });
    expect((await pgPool().query(`SELECT "status" FROM "Declaration" WHERE "id" = $1`, [otherDeclarationId])).rows[0].status).toBe("sent");
    // "declared" closes the funnel: the patient has a médecin traitant now
    const hasMt = async (id: string) => (await pgPool().query(`SELECT "hasMt" FROM "Patient" WHERE "id" = $1`, [id])).rows[0].hasMt;
    expect(await hasMt(ids.P1)).toBe(true);
    expect(await hasMt(ids.P2)).toBe(false);

    // The same file again (UTF-8 this time): nothing changes, not even the answer dates.
    const text = iconv.decode(file, "windows-1252");
    const again = await postAnswers(Buffer.from(text, "utf8")).expect(200);
    expect(again.body.counts).toEqual({ rows: 8, declared: 0, rejected: 0, errors: 6, unchanged: 2 }); // repeated answers count once, as unchanged
    expect(await state()).toEqual(after);

    // A later rejection of a declared one is not applied; a rejected one may still be declared; one file that answers a
    // declaration twice, differently, applies its first answer and reports the other. (This file has a title above its
    // header, as the fund's tool writes it: lines stay the file's.)
    const later = await postAnswers(answerFile(["Retour des déclarations MT — 02/12/2026", `reference_declaration;statut;motif`, `${ref[ids.P1]};refusé;erreur`, `${ref[ids.P4]};enregistré;`, `${ref[ids.P4]};rejeté;doublon`])).expect(200);
    expect(later.body).toEqual({
      counts: { rows: 3, declared: 1, rejected: 0, errors: 2, unchanged: 0 },
      errors: [
        { line: 3, reason: "déclaration déjà enregistrée par la caisse : un rejet ultérieur n'est pas appliqué, vérifiez auprès de la caisse" },
        { line: 5, reason: "la ligne 4 du fichier répond déjà autrement pour cette déclaration : cette ligne n'est pas appliquée, vérifiez auprès de la caisse" },
      ],
      notes: ["En-tête trouvé ligne 2 : la ligne 1, au-dessus, n'est pas lue (un titre, des lignes vides)."],
    });
    expect((await state())[ref[ids.P1]].status).toBe("declared");
    expect((await state())[ref[ids.P4]].status).toBe("declared");
  });

  it("lists batches with counts per status and the rejected declarations with their reason", async () => {
    const res = await me.agent.get("/api/declarations/batches").expect(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatchObject({ count: 3, counts: { sent: 0, declared: 2, rejected: 1 }, sentBy: "Test coordinator" });
    expect(res.body[0].rejected).toEqual([
      expect.objectContaining({ patientId: ids.P2, externalId: "P2", lastName: "NOM_P2", gpRpps: gpB.rpps, reason: "Patient déjà déclaré chez un autre médecin" }),
    ]);
    expect(await auditCount("patient.identity.read", "declaration_batches")).toBe(1);
    // a rejected declaration stays rejected: it is not pending again
    expect((await me.agent.get("/api/declarations/pending").expect(200)).body.count).toBe(0);
  });

  it("refuses a malformed answer file with a clear 400 and writes nothing", async () => {
    const before = (await pgPool().query(`SELECT "id", "status", "answeredAt" FROM "Declaration" ORDER BY "id"`)).rows;
    const refused = async (body: Buffer, name: string, message: RegExp) => {
      const res = await postAnswers(body, name).expect(400);
      expect(res.body.error.message).toMatch(message);
    };
    await refused(Buffer.alloc(0), "vide.csv", /Le fichier est vide/);
    await refused(Buffer.from("\r\n\r\n"), "blancs.csv", /Le fichier est vide/);
    await refused(answerFile(["nom;prenom;date", "DUPONT;Jean;01/01/1950"]), "autre.csv", /il manque la colonne statut et la colonne reference_declaration \(ou identifiant_patient et rpps_medecin\)\. Colonnes lues : nom, prenom, date/);
    await refused(answerFile(["identifiant_patient;statut", "P1;OK"]), "sans-rpps.csv", /reference_declaration \(ou identifiant_patient et rpps_medecin\)/);
    let seed = 7;
    const garbage = Buffer.from(Array.from({ length: 4096 }, () => (seed = (seed * 48271) % 2147483647) % 256));
    await refused(garbage, "garbage.bin", /^Fichier illisible : ni un texte CSV, ni un classeur .xlsx .*enregistrez le fichier au format/);
    await refused(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), garbage]), "faux.xlsx", /^Fichier illisible : (?!fichier illisible)/);
    const noFile = await me.agent.post("/api/declarations/answers").set("X-CSRF-Token", me.csrf).field("autre", "x").expect(400);
    expect(noFile.body.error.message).toBe("Aucun fichier reçu : le champ « file » est obligatoire.");
    expect((await pgPool().query(`SELECT "id", "status", "answeredAt" FROM "Declaration" ORDER BY "id"`)).rows).toEqual(before);
  });
});
