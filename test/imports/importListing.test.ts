// The whole import on the real database and the real BullMQ worker: upload, detection,
// background processing, report, rejected rows CSV, merge, re-upload, history.
import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { pgPool } from "../../server/pgPool.ts";
import { enqueueImport } from "../../queues/imports.ts";
import type { Services } from "../../server/http/services.ts";
import { IMPORT_FAILED_MESSAGE } from "../../server/imports/markImportFailed.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { loginAs } from "../helpers/api.ts";
import { importSettled, uploadListing, useAppWithWorker } from "../helpers/imports.ts";
import { makeTempDir, writeCpamListing, writeCptsListing, writeMsaListing, writeXlsxListing } from "./parsing/makeListing.ts";

const t = useAppWithWorker();
const dir = makeTempDir();

describe("patient listing import (HTTP + worker)", () => {
  it("imports a CPAM-like Windows-1252 ';' listing: report, line numbers, reasons, merges, E.164, history", async () => {
    const me = await loginAs(t.app, "coordinator");
    const campaign = await makeCampaign(me.user.organisationId);
    const listing = writeCpamListing(dir);
    const res = await uploadListing(me, campaign.id, listing.path).expect(202);
    expect(res.body.id).toEqual(expect.any(String));
    const report = await importSettled(me, res.body.id);
    expect(report.status).toBe("done");
    expect(report.detected).toEqual({ encoding: "windows-1252", delimiter: ";", format: "csv", headerLine: 1, sheet: null, notes: [] });
    const rejectedLines = Object.fromEntries(report.rejected.map((r: { line: number; reason: string }) => [r.line, r.reason]));
    expect(Object.keys(rejectedLines).map(Number).sort((a, b) => a - b)).toEqual([listing.lines.noValidPhone, listing.lines.badDate]);
    expect(rejectedLines[listing.lines.noValidPhone]).toMatch(/aucun numéro de téléphone valide/);
    expect(rejectedLines[listing.lines.badDate]).toMatch(/date de naissance/);
    // 11 patient rows: 2 rejected, the duplicate merged into its twin, 8 new patients; 3 lines skipped (delimiters only, empty, TOTAL)
    expect(report.counts).toEqual({ rows: 11, accepted: 8, merged: 1, rejected: 2, skipped: 3, remarked: 2 });
    // accepted rows from which something was dropped, with their line and why
    expect(report.remarks).toEqual([
      { line: listing.lines.oneBadPhone, remark: expect.stringMatching(/06 12 34/) },
      { line: listing.lines.guadeloupe, remark: "code postal 97100 : ce n'est pas un code postal de Les Abymes (97101) ; commune du code INSEE retenue, code postal ignoré" },
    ]);

    const patients = await db().patient.findMany({ where: { organisationId: me.user.organisationId }, include: { sources: true, enrolments: true } });
    expect(patients).toHaveLength(8);
    const coeur = patients.find((p) => p.externalId === "C001")!;
    expect(coeur.lastName).toBe("CŒUR"); // Œ survives Windows-1252 decoding
    expect(coeur.firstName).toBe("Lœtitia");
    expect(coeur.address).toBe("12 rue de l’Église");
    expect(coeur.phones).toEqual([
      { e164: "+33612345678", type: "mobile", country: "FR" },
      { e164: "+33145678910", type: "fixed", country: "FR" },
    ]);
    expect(coeur.nirHash).toEqual(expect.any(String));
    expect(JSON.stringify(coeur)).not.toContain("150037511504282"); // the NIR is never stored in clear
    expect(coeur.relationRpps).toBe("10000000017");
    const payet = patients.find((p) => p.externalId === "C004")!;
    expect(payet.phones).toEqual([
      { e164: "+262692123456", type: "mobile", country: "RE" },
      { e164: "+262262212345", type: "fixed", country: "RE" },
    ]);
    expect(patients.find((p) => p.externalId === "C005")!.inseeCode).toBe("2A004");
    const blanc = patients.find((p) => p.externalId === "C009")!;
    expect(blanc.sources.map((s) => s.line).sort((a, b) => a - b)).toEqual([listing.lines.duplicateA, listing.lines.duplicateB]);
    const enrolment = coeur.enrolments[0];
    expect(enrolment).toMatchObject({ campaignId: campaign.id, eligible: true, priority: 0 });
    expect(enrolment.priorityLabel).toMatch(/^ALD, \d+ ans, sans MT$/);
    expect(coeur.sources[0]).toMatchObject({ importId: res.body.id, line: listing.lines.coeur });

    // The rejected rows, to send back to the fund: original columns + reason, Excel-friendly.
    const csv = await me.agent.get(`/api/imports/${res.body.id}/rejections.csv`).expect(200);
    expect(csv.headers["content-type"]).toMatch(/text\/csv/);
    const text = csv.text.replace(/^\uFEFF/, "");
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("Ligne;IDENTIFIANT;NOM;PRENOM;DATE_NAISSANCE;SEXE;ADRESSE;CP;COMMUNE;CODE_INSEE;TEL_PORTABLE;TEL_FIXE;ALD;CSS;NIR;RPPS_MEDECIN_CONSULTE;NB_CONSULTATIONS;Motif du rejet");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(new RegExp(`^${listing.lines.noValidPhone};C006;PETIT;Luc;`));

    // Uploading the same file again: no duplicate, every patient row merges.
    const again = await importSettled(me, (await uploadListing(me, campaign.id, listing.path).expect(202)).body.id);
    expect(again.counts).toEqual({ rows: 11, accepted: 0, merged: 9, rejected: 2, skipped: 3, remarked: 2 });
    expect(await db().patient.count({ where: { organisationId: me.user.organisationId } })).toBe(8);
    expect(await db().enrolment.count({ where: { campaignId: campaign.id } })).toBe(8);
    expect(await db().patientSource.count({ where: { patientId: coeur.id } })).toBe(2); // history: both listings said it
  });

  it("imports MSA-like (',' UTF-8 BOM), CPTS-like (tab) and XLSX listings", async () => {
    const me = await loginAs(t.app, "coordinator");
    const campaign = await makeCampaign(me.user.organisationId);
    const msa = await importSettled(me, (await uploadListing(me, campaign.id, writeMsaListing(dir).path).expect(202)).body.id);
    expect(msa.status).toBe("done");
    expect(msa.detected).toMatchObject({ encoding: "utf-8", delimiter: "," });
    expect(msa.counts.accepted).toBeGreaterThanOrEqual(6);
    const cptsListing = writeCptsListing(dir);
    const cpts = await importSettled(me, (await uploadListing(me, campaign.id, cptsListing.path).expect(202)).body.id);
    expect(cpts.status).toBe("done");
    expect(cpts.detected).toMatchObject({ delimiter: "\t" });
    const reasons = Object.fromEntries(cpts.rejected.map((r: { line: number; reason: string }) => [r.line, r.reason]));
    expect(reasons[cptsListing.lines.ambiguousPostalCode]).toMatch(/plusieurs communes|ambigu/i);
    expect(reasons[cptsListing.lines.unknownCommune]).toMatch(/commune/i);
    const xlsx = await writeXlsxListing(dir);
    const x = await importSettled(me, (await uploadListing(me, campaign.id, xlsx.path).expect(202)).body.id);
    expect(x.status).toBe("done");
    expect(x.detected.format).toBe("xlsx");
    expect(x.rejected.map((r: { line: number }) => r.line)).toEqual([xlsx.lines.noPhone]);
    const martinique = await db().patient.findFirst({ where: { organisationId: me.user.organisationId, externalId: "M004" } });
    // mobile columns come first (they are called first), then the others
    expect((martinique!.phones as { e164: string }[]).map((p) => p.e164)).toEqual(["+596696123456", "+596596601234"]);
  });

  it("asks for the mapping when headers are not recognised, then runs with the coordinator's mapping and reuses it", async () => {
    const me = await loginAs(t.app, "coordinator");
    const campaign = await makeCampaign(me.user.organisationId);
    const path = `${dir}/odd.csv`;
    writeFileSync(path, "Col A;Col B;Col C;Col D\r\nDUPUIS;Anne;12/12/1950;06 12 34 56 78\r\n");
    const first = await importSettled(me, (await uploadListing(me, campaign.id, path).expect(202)).body.id);
    expect(first.status).toBe("uploaded");
    expect(first.needsMapping.headers).toEqual(["Col A", "Col B", "Col C", "Col D"]);
    expect(first.needsMapping.rows[0]).toEqual({ line: 2, cells: ["DUPUIS", "Anne", "12/12/1950", "06 12 34 56 78"] });
    expect(first.needsMapping.missingRequired.length).toBeGreaterThan(0);
    // incomplete mapping refused
    const bad = await me.agent.put(`/api/imports/${first.id}/mapping`).set("X-CSRF-Token", me.csrf).send({ mapping: { lastName: 0 } }).expect(400);
    expect(bad.body.error.message).toMatch(/Correspondance incomplète/);
    // no commune column at all: the rows are rejected with a reason, not lost
    writeFileSync(path, "Col A;Col B;Col C;Col D;Col E\r\nDUPUIS;Anne;12/12/1950;06 12 34 56 78;01053\r\n");
    const second = await importSettled(me, (await uploadListing(me, campaign.id, path).expect(202)).body.id);
    expect(second.status).toBe("uploaded");
    await me.agent
      .put(`/api/imports/${second.id}/mapping`).set("X-CSRF-Token", me.csrf)
      .send({ mapping: { lastName: 0, firstName: 1, birthDate: 2, phones: [3], inseeCode: 4 }, save: true })
      .expect(202);
    const done = await importSettled(me, second.id);
    expect(done.status).toBe("done");
    expect(done.counts).toMatchObject({ rows: 1, accepted: 1 });
    // same headers next time: the saved mapping is used without asking
    const third = await importSettled(me, (await uploadListing(me, campaign.id, path).expect(202)).body.id);
    expect(third.status).toBe("done");
    expect(third.counts).toMatchObject({ rows: 1, merged: 1 });
  });

  it("reads « Médecin traitant (O/N) » and « Opposition (O/N) »: the opposed patient and the one with a GP are not eligible", async () => {
    const me = await loginAs(t.app, "coordinator");
    const campaign = await makeCampaign(me.user.organisationId);
    const path = `${dir}/drapeaux.csv`;
    writeFileSync(path, [
      "Nom;Prénom(s);Date de naissance (jj/mm/aaaa);Portable;Code INSEE;Médecin traitant (O/N);Opposition (O/N);ALD (1/0);C2S (1/0)",
      "LIBRE;Anne;12/03/1950;06 12 34 56 78;01053;N;N;1;0",
      "OPPOSÉ;Jean;01/01/1945;06 12 34 56 79;01053;N;O;1;0",
      "SUIVI;Marc;02/02/1948;06 12 34 56 70;01053;O;N;0;1",
    ].join("\r\n") + "\r\n");
    const report = await importSettled(me, (await uploadListing(me, campaign.id, path).expect(202)).body.id);
    expect(report).toMatchObject({ status: "done", counts: { rows: 3, accepted: 3, rejected: 0 }, ignoredColumns: [] });
    const patients = await db().patient.findMany({ where: { organisationId: me.user.organisationId }, include: { enrolments: true } });
    const byName = Object.fromEntries(patients.map((p) => [p.lastName, p]));
    expect(byName["LIBRE"]).toMatchObject({ firstName: "Anne", optOut: false, hasMt: false, ald: true, css: false });
    expect(byName["LIBRE"].enrolments[0].eligible).toBe(true);
    expect(byName["OPPOSÉ"]).toMatchObject({ optOut: true });
    expect(byName["OPPOSÉ"].enrolments[0].eligible).toBe(false);
    expect(byName["SUIVI"]).toMatchObject({ hasMt: true, css: true });
    expect(byName["SUIVI"].enrolments[0].eligible).toBe(false);
  });

  it("a column that may say who must not be called, not recognised: the coordinator sees the mapping with the reason; the report names it", async () => {
    const me = await loginAs(t.app, "coordinator");
    const campaign = await makeCampaign(me.user.organisationId);
    const path = `${dir}/demarchage.csv`;
    const header = "NOM;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE;Opposition au démarchage téléphonique;Remarques";
    writeFileSync(path, [header, "DUPUIS;Anne;12/12/1950;06 12 34 56 78;01053;O;appeler le matin", "MARTIN;Léo;01/02/1951;06 12 34 56 77;01053;N;"].join("\r\n") + "\r\n");
    const first = await importSettled(me, (await uploadListing(me, campaign.id, path).expect(202)).body.id);
    expect(first.status).toBe("uploaded");
    expect(first.needsMapping.missingRequired).toEqual([]);
    expect(first.needsMapping.unsure).toEqual([
      "la colonne « Opposition au démarchage téléphonique » n'a pas été reconnue : elle peut dire qui ne doit pas être appelé",
    ]);
    expect(first.needsMapping.proposal).toEqual({ lastName: 0, firstName: 1, birthDate: 2, phones: [3], inseeCode: 4 });

    // The coordinator decides to leave it aside, and saves that: it was their decision, the next file of these headers runs.
    await me.agent.put(`/api/imports/${first.id}/mapping`).set("X-CSRF-Token", me.csrf)
      .send({ mapping: first.needsMapping.proposal, save: true }).expect(202);
    const done = await importSettled(me, first.id);
    expect(done).toMatchObject({ status: "done", counts: { rows: 2, accepted: 2 } });
    expect(done.ignoredColumns).toEqual([
      { column: 6, header: "Opposition au démarchage téléphonique", mayDecide: "elle peut dire qui ne doit pas être appelé" },
      { column: 7, header: "Remarques", mayDecide: null },
    ]);
    const again = await importSettled(me, (await uploadListing(me, campaign.id, path).expect(202)).body.id);
    expect(again).toMatchObject({ status: "done", counts: { rows: 2, merged: 2 } });

    // Other headers (one more column the saved mapping never saw): not the saved mapping, the coordinator is asked again.
    writeFileSync(path, [`${header};Refus de contact`.replace("Remarques", "Remarques du conseiller"), "DUPUIS;Anne;12/12/1950;06 12 34 56 78;01053;O;;O"].join("\r\n") + "\r\n");
    const other = await importSettled(me, (await uploadListing(me, campaign.id, path).expect(202)).body.id);
    expect(other.status).toBe("uploaded");
    expect(other.needsMapping.savedMapping).toBe(false);
    expect(other.needsMapping.proposal.optOut).toBe(7); // « Refus de contact » is read
    expect(other.needsMapping.unsure).toEqual([expect.stringMatching(/^la colonne « Opposition au démarchage téléphonique » n'a pas été reconnue/)]);
  });

  it("refuses a request without a file and an empty file, with nothing left behind", async () => {
    const me = await loginAs(t.app, "coordinator");
    const campaign = await makeCampaign(me.user.organisationId);
    const before = await db().import.count();
    const noFile = await me.agent.post(`/api/campaigns/${campaign.id}/imports`).set("X-CSRF-Token", me.csrf).field("autre", "x").expect(400);
    expect(noFile.body.error.message).toMatch(/champ « file »/);
    const empty = await me.agent.post(`/api/campaigns/${campaign.id}/imports`).set("X-CSRF-Token", me.csrf).attach("file", Buffer.alloc(0), "vide.csv").expect(400);
    expect(empty.body.error.message).toMatch(/vide/);
    expect(await db().import.count()).toBe(before);
  });

  it("a closed campaign takes no more listings", async () => {
    const me = await loginAs(t.app, "coordinator");
    const campaign = await makeCampaign(me.user.organisationId);
    await db().campaign.update({ where: { id: campaign.id }, data: { status: "closed" } });
    const before = await db().import.count();
    const res = await uploadListing(me, campaign.id, writeCpamListing(dir).path).expect(409);
    expect(res.body.error.message).toBe("Cette campagne est clôturée : elle ne reçoit plus de listing.");
    expect(await db().import.count()).toBe(before);
  });

  it("a binary file renamed .csv, a header alone, 20,000 columns: a French reason, the import failed, nothing of the file kept", async () => {
    const me = await loginAs(t.app, "coordinator");
    const campaign = await makeCampaign(me.user.organisationId);
    const bytes = Buffer.alloc(5000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + 13) % 256; // NUL bytes among others, as in any binary file
    const res = await me.agent.post(`/api/campaigns/${campaign.id}/imports`).set("X-CSRF-Token", me.csrf).attach("file", bytes, "binaire.csv").expect(202);
    expect(res.body).toMatchObject({ status: "failed", error: expect.stringMatching(/^fichier illisible : ni un texte CSV, ni un classeur \.xlsx/) });
    const { rows: [chunks] } = await pgPool().query(`SELECT count(*)::int AS n FROM "ImportChunk" WHERE "importId" = $1`, [res.body.id]);
    expect(chunks.n).toBe(0);
    const headerOnly = await me.agent.post(`/api/campaigns/${campaign.id}/imports`).set("X-CSRF-Token", me.csrf)
      .attach("file", Buffer.from("NOM;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE\r\n;;;;\r\n"), "entete.csv").expect(202);
    expect(headerOnly.body).toMatchObject({ status: "failed", error: "Le fichier ne contient que la ligne d'en-tête : aucune ligne à importer." });
    // 20,000 columns: not a listing (the mapping screen would offer 20,000 choices); refused at once, nothing kept
    const wide = Array.from({ length: 20_000 }, (_, i) => `COL${i}`);
    const tooWide = await me.agent.post(`/api/campaigns/${campaign.id}/imports`).set("X-CSRF-Token", me.csrf)
      .attach("file", Buffer.from(`NOM;PRENOM;${wide.join(";")}\r\nDUPONT;Camille\r\n`), "large.csv").expect(202);
    expect(tooWide.body).toMatchObject({ status: "failed", error: expect.stringMatching(/^L'en-tête a 20\s002 colonnes : un listing en a quelques dizaines \(500 au plus\)/) });
    const { rows: [wideChunks] } = await pgPool().query(`SELECT count(*)::int AS n FROM "ImportChunk" WHERE "importId" = $1`, [tooWide.body.id]);
    expect(wideChunks.n).toBe(0);
  });

  it("a coordinator of another organisation cannot see or feed this campaign", async () => {
    const owner = await loginAs(t.app, "coordinator");
    const campaign = await makeCampaign(owner.user.organisationId);
    const stranger = await loginAs(t.app, "coordinator");
    await uploadListing(stranger, campaign.id, writeCpamListing(dir).path).expect(404);
    await stranger.agent.get(`/api/campaigns/${campaign.id}/patients`).expect(404);
  });

  it("an import that cannot run ends failed with a French message, not the worker's error, and its file is deleted", async () => {
    const me = await loginAs(t.app, "coordinator");
    // A patient listing without its campaign cannot run (ImportCannotRun, not retried): the coordinator reads French.
    const imp = await db().import.create({
      data: { organisationId: me.user.organisationId, kind: "patients", fileName: "orphelin.csv", fileSize: 10, fileHash: "x", status: "queued" },
    });
    await pgPool().query(`INSERT INTO "ImportChunk" ("importId", "seq", "data") VALUES ($1, 0, $2)`, [imp.id, Buffer.from("NOM;PRENOM\r\nDUPONT;Camille\r\n")]);
    await enqueueImport((t.app.locals.services as Services).imports, imp.id);
    const report = await importSettled(me, imp.id);
    expect(report).toMatchObject({ status: "failed", error: IMPORT_FAILED_MESSAGE });
    const { rows: [chunks] } = await pgPool().query(`SELECT count(*)::int AS n FROM "ImportChunk" WHERE "importId" = $1`, [imp.id]);
    expect(chunks.n).toBe(0);
  });
});
