// The opposition register: imported from a CSV (matched like listings merge, unknown people created),
// one patient at a time, listed (audited); and no later listing can ever clear an opposition.
import { readFileSync, rmSync } from "node:fs";
import { Readable } from "node:stream";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { pgPool } from "../../server/pgPool.ts";
import { nirHash } from "../../server/imports/patientIdentity.ts";
import { acceptListing } from "../../server/imports/acceptListing.ts";
import { runImport } from "../../server/imports/runImport.ts";
import { personKey } from "../../server/imports/parsing/normaliseName.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { makePatient } from "../factories/orientations.ts";
import { loginAs, startTestApp, type LoggedIn, type TestApp } from "../helpers/api.ts";
import { makeTempDir, NIR_CORSE, NIR_PARIS, noticeSheet, writeWorkbook } from "../imports/parsing/makeListing.ts";

let t: TestApp;
let orgId: string;
let me: LoggedIn;
const p: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  orgId = (await makeOrganisation()).id;
  me = await loginAs(t.app, "coordinator", orgId);
  p.E1 = (await makePatient(orgId, { matchKey: `nir:${nirHash(NIR_PARIS)}`, nirHash: nirHash(NIR_PARIS), externalId: "A001", lastName: "DUPONT", firstName: "Jean" })).id;
  p.E2 = (await makePatient(orgId, { matchKey: "ext:A002", externalId: "A002", lastName: "MARTIN", firstName: "Marie" })).id;
  p.E3 = (await makePatient(orgId, { matchKey: `pk:${personKey("D'Artagnan-Dupré", "Lœtitia", "1970-03-03")}`, lastName: "D'Artagnan-Dupré", firstName: "Lœtitia", birthDate: "1970-03-03" })).id;
  p.E4 = (await makePatient(orgId, { matchKey: "ext:A004", externalId: "A004", lastName: "DÉJÀ", firstName: "Opposé" })).id;
  p.E5 = (await makePatient(orgId, { matchKey: "ext:A005", externalId: "A005", lastName: "LIBRE", firstName: "Encore" })).id;
  p.E6 = (await makePatient(orgId, { matchKey: "ext:A006", externalId: "A006", lastName: "LEROY", firstName: "Hélène", birthDate: "1965-06-06" })).id;
  await pgPool().query(`INSERT INTO "Opposition" ("patientId", "organisationId", "source", "at") VALUES ($1, $2, 'coordinator', '2026-01-05T10:00:00Z')`, [p.E4, orgId]);
  // Another organisation's patient with the same fund identifier: never touched.
  p.X2 = (await makePatient((await makeOrganisation()).id, { matchKey: "ext:A002", externalId: "A002" })).id;
});
afterAll(() => t.close());

const upload = (body: Buffer, name = "registre.csv") => me.agent.post("/api/oppositions/imports").set("X-CSRF-Token", me.csrf).attach("file", body, name);
const register = () => iconv.encode([
  "NIR;IDENTIFIANT;NOM;PRENOM;DATE_NAISSANCE;MOTIF",
  `${NIR_PARIS};;;;;courrier du 02/11`, // 2: E1 by NIR
  ";A002;;;;", // 3: E2 by fund identifier
  ";;DARTAGNAN DUPRE;Loetitia;03/03/1970;", // 4: E3 by name + birth date (accents, apostrophe, hyphen folded)
  ";A004;;;;", // 5: already on the register
  ";;NOUVEAU;Paul;05/05/1980;appel à la CPTS", // 6: unknown: created
  ";;Nouveau;Paul;5/5/1980;", // 7: the same person again
  "1234;;;;;", // 8
  ";;SEUL;;;", // 9
  `${NIR_CORSE};;;;;`, // 10: unknown and no name to create them
  ";;FAURE;Léa;31/02/1980;", // 11
  ";;;;;", // blank
  ";;LEROY;Helene;06/06/1965;", // 13: E6, whose listing gave a fund identifier: found by name
].join("\r\n") + "\r\n", "windows-1252");

const opposed = async (id: string) => (await pgPool().query(`SELECT "optOut" FROM "Patient" WHERE "id" = $1`, [id])).rows[0].optOut as boolean;

describe("opposition register import", () => {
  it("registers each line's patients, creates unknown people, reports every unusable line", async () => {
    const res = await upload(register()).expect(200);
    expect(res.body.counts).toEqual({ rows: 11, registered: 5, alreadyOpposed: 2, rejected: 4 });
    expect(res.body.created).toBe(1);
    expect(res.body.rejected).toEqual([
      { line: 8, reason: "NIR invalide (15 caractères attendus) ; identité insuffisante : NIR, identifiant caisse, ou nom, prénom et date de naissance" },
      { line: 9, reason: "identité insuffisante : NIR, identifiant caisse, ou nom, prénom et date de naissance" },
      { line: 10, reason: "personne inconnue de l'organisation : le nom et la date de naissance sont nécessaires pour l'inscrire au registre" },
      { line: 11, reason: "date de naissance : date inexistante : « 31/02/1980 » ; identité insuffisante : NIR, identifiant caisse, ou nom, prénom et date de naissance" },
    ]);
    for (const k of ["E1", "E2", "E3", "E4", "E6"]) expect(await opposed(p[k]), k).toBe(true);
    expect(await opposed(p.E5)).toBe(false);
    expect(await opposed(p.X2)).toBe(false);

    const created = await db().patient.findFirstOrThrow({ where: { organisationId: orgId, lastName: "NOUVEAU" }, include: { opposition: true } });
    expect(created).toMatchObject({ firstName: "Paul", matchKey: `pk:${personKey("NOUVEAU", "Paul", "1980-05-05")}`, phones: [], optOut: true });
    expect(created.opposition).toMatchObject({ source: "import", importId: res.body.importId, recordedById: me.user.id, comment: "appel à la CPTS" });
    const rows = await db().opposition.findMany({ where: { organisationId: orgId } });
    expect(rows).toHaveLength(6);
    expect(rows.filter((o) => o.importId === res.body.importId)).toHaveLength(5);
    expect(rows.find((o) => o.patientId === p.E1)).toMatchObject({ source: "import", comment: "courrier du 02/11" });
    expect(rows.find((o) => o.patientId === p.E4)).toMatchObject({ source: "coordinator", importId: null }); // the first entry is kept

    // The same register again: nothing new.
    const again = await upload(register()).expect(200);
    expect(again.body.counts).toEqual({ rows: 11, registered: 0, alreadyOpposed: 7, rejected: 4 });
    expect(again.body.created).toBe(0);
    expect(await db().opposition.count({ where: { organisationId: orgId } })).toBe(6);
    expect(await db().patient.count({ where: { organisationId: orgId } })).toBe(7);
  });

  it("reads a register as funds' tools write it: « sep=; » and a title above the header, or a workbook opening on a notice sheet", async () => {
    const org = (await makeOrganisation()).id;
    const coordinator = await loginAs(t.app, "coordinator", org);
    const known = await makePatient(org, { matchKey: "ext:T001", externalId: "T001", lastName: "TITRE", firstName: "Anne" });
    const other = await makePatient(org, { matchKey: "ext:T002", externalId: "T002", lastName: "CLASSEUR", firstName: "Paul" });
    const send = (body: Buffer, name: string) => coordinator.agent.post("/api/oppositions/imports").set("X-CSRF-Token", coordinator.csrf).attach("file", body, name).expect(200);

    const csv = await send(iconv.encode(["sep=;", "Registre des oppositions — CPAM du Rhône", "Édité le 01/12/2026", "", "IDENTIFIANT;NOM;MOTIF", "T001;TITRE;courrier", "TOTAL;1"].join("\r\n"), "windows-1252"), "registre.csv");
    expect(csv.body).toMatchObject({ counts: { rows: 1, registered: 1, alreadyOpposed: 0, rejected: 0 }, rejected: [] });
    expect(csv.body.notes).toEqual(["En-tête trouvé ligne 5 : les lignes 2 à 4, au-dessus, ne sont pas lues (un titre, des lignes vides)."]);
    expect(await opposed(known.id)).toBe(true);

    const dir = makeTempDir();
    try {
      // a template's hidden lists first, whose first row names columns too: never read as the register
      const lists = { name: "Listes", hidden: true, rows: [{ at: 1, cells: ["NOM", "IDENTIFIANT"] }, { at: 2, cells: ["OUI", "T002"] }] };
      const path = await writeWorkbook(dir, "registre.xlsx", [lists, noticeSheet(), { name: "Oppositions", rows: [{ at: 1, cells: ["Registre au 01/12/2026"] }, { at: 2, cells: ["IDENTIFIANT", "NOM"] }, { at: 3, cells: ["T002", "CLASSEUR"] }, { at: 4, cells: ["", "SANS IDENTIFIANT"] }] }]);
      const xlsx = await send(readFileSync(path), "registre.xlsx");
      expect(xlsx.body).toMatchObject({ counts: { rows: 2, registered: 1, rejected: 1 }, rejected: [{ line: 4, reason: "identité insuffisante : NIR, identifiant caisse, ou nom, prénom et date de naissance" }] });
      expect(xlsx.body.notes).toEqual([
        "En-tête trouvé ligne 2 de la feuille « Oppositions » : la ligne 1, au-dessus, n'est pas lue (un titre, des lignes vides).",
        "Feuille lue : « Oppositions » ; feuilles « Listes » (masquée), « Notice » non lues (seule la première feuille visible qui a une ligne d'en-tête reconnue l'est).",
      ]);
      expect(await opposed(other.id)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reads the fund identifier under the name the product itself gives it (« Identifiant caisse », « ID caisse »)", async () => {
    const org = await makeOrganisation(); // a register of its own: the other tests count this one's
    const coordinator = await loginAs(t.app, "coordinator", org.id);
    const send = (text: string) => coordinator.agent.post("/api/oppositions/imports").set("X-CSRF-Token", coordinator.csrf).attach("file", Buffer.from(text), "ids.csv").expect(200);
    const known = (await makePatient(org.id, { matchKey: "ext:A107", externalId: "A107", lastName: "CAISSE", firstName: "Identifiant" })).id;
    expect((await send("Identifiant caisse;Motif\r\nA107;courrier\r\n")).body.counts).toMatchObject({ rows: 1, registered: 1, rejected: 0 });
    expect(await opposed(known)).toBe(true);
    expect((await send("ID caisse\r\nA107\r\n")).body.counts).toMatchObject({ rows: 1, alreadyOpposed: 1 });
  });

  it("refuses a file that cannot be a register with a clear 400 and writes nothing", async () => {
    const before = await db().opposition.count();
    const patients = await db().patient.count();
    const refused = async (body: Buffer, name: string, message: RegExp) => expect((await upload(body, name).expect(400)).body.error.message).toMatch(message);
    await refused(Buffer.alloc(0), "vide.csv", /Le fichier est vide/);
    await refused(Buffer.from("TELEPHONE;COMMUNE\r\n0612345678;42218\r\n"), "autre.csv",
      /Registre d'oppositions non reconnu : il faut une colonne NIR, une colonne identifiant caisse, ou les colonnes nom, prénom et date de naissance\. Colonnes lues : TELEPHONE, COMMUNE\./);
    await refused(Buffer.from("NOM;DATE_NAISSANCE\r\nDUPONT;01/01/1950\r\n"), "sans-prenom.csv", /non reconnu/);
    let seed = 11;
    const garbage = Buffer.from(Array.from({ length: 4096 }, () => (seed = (seed * 48271) % 2147483647) % 256));
    await refused(garbage, "garbage.bin", /non reconnu|illisible/);
    await refused(Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), garbage]), "faux.xlsx", /^Fichier illisible : (?!fichier illisible)/);
    await me.agent.post("/api/oppositions/imports").set("X-CSRF-Token", me.csrf).send({}).expect(400);
    expect(await db().opposition.count()).toBe(before);
    expect(await db().patient.count()).toBe(patients);
  });
});

describe("opposition register: one patient, list", () => {
  it("adds one patient of the organisation (idempotent), 404 for another organisation's", async () => {
    const first = await me.agent.post("/api/oppositions").set("X-CSRF-Token", me.csrf).send({ patientId: p.E5, comment: "lettre reçue" }).expect(201);
    expect(first.body).toMatchObject({ created: true, opposition: { patientId: p.E5, source: "coordinator", comment: "lettre reçue" } });
    expect(await opposed(p.E5)).toBe(true);
    const again = await me.agent.post("/api/oppositions").set("X-CSRF-Token", me.csrf).send({ patientId: p.E5 }).expect(200);
    expect(again.body).toMatchObject({ created: false, opposition: { comment: "lettre reçue" } });
    await me.agent.post("/api/oppositions").set("X-CSRF-Token", me.csrf).send({ patientId: p.X2 }).expect(404);
    await me.agent.post("/api/oppositions").set("X-CSRF-Token", me.csrf).send({ patientId: "pas-un-uuid" }).expect(400);
    expect(await opposed(p.X2)).toBe(false);
  });

  it("lists the register newest first, by page, with source and date, and audits the identities shown", async () => {
    const audited = async () => Number((await pgPool().query(`SELECT count(*) AS n FROM "AuditLog" WHERE "organisationId" = $1 AND "details"->>'via' = 'oppositions'`, [orgId])).rows[0].n);
    const page1 = await me.agent.get("/api/oppositions?pageSize=3").expect(200);
    expect(page1.body).toMatchObject({ total: 7, page: 1, pageSize: 3 });
    expect(page1.body.items).toHaveLength(3);
    expect(page1.body.items[0]).toMatchObject({ patientId: p.E5, source: "coordinator", sourceLabel: "saisie par un coordinateur", comment: "lettre reçue", lastName: "LIBRE", recordedBy: "Test coordinator" });
    const page3 = await me.agent.get("/api/oppositions?pageSize=3&page=3").expect(200);
    expect(page3.body.items.map((o: { patientId: string }) => o.patientId)).toEqual([p.E4]); // the oldest
    expect(page3.body.items[0]).toMatchObject({ sourceLabel: "saisie par un coordinateur", at: "2026-01-05T10:00:00.000Z" });
    expect(await audited()).toBe(4);
  });
});

describe("listings never clear an opposition", () => {
  const listing = (rows: string[]) => Buffer.from(rows.join("\r\n") + "\r\n", "utf8");
  async function importListing(campaignId: string, body: Buffer) {
    const accepted = await acceptListing(db(), { organisationId: orgId, campaignId, kind: "patients" }, Readable.from([body]), "listing.csv", { actorLabel: "test" }, { acceptUnsure: true });
    expect(accepted.ready).toBe(true);
    await runImport(accepted.importId);
    return accepted.importId;
  }
  const enrolment = async (campaignId: string, lastName: string) =>
    (await pgPool().query(
      `SELECT e."eligible", e."ineligibleReason", p."optOut", p."id" AS "patientId" FROM "Enrolment" e JOIN "Patient" p ON p."id" = e."patientId" WHERE e."campaignId" = $1 AND p."lastName" = $2`,
      [campaignId, lastName],
    )).rows[0];

  it("a listing saying 'opposed' registers it; a later listing without the flag leaves the patient opposed and not eligible", async () => {
    const campaign = await makeCampaign(orgId);
    const first = await importListing(campaign.id, listing([
      "NOM;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE;OPPOSITION",
      "GARCIA;Ana;01/01/1950;0612345678;42218;Oui",
      "LOPEZ;Rui;02/02/1951;0612345679;42218;Non",
    ]));
    const garcia = await enrolment(campaign.id, "GARCIA");
    expect(garcia).toMatchObject({ eligible: false, ineligibleReason: "opposé aux appels", optOut: true });
    expect(await db().opposition.findUnique({ where: { patientId: garcia.patientId } })).toMatchObject({ source: "import", importId: first, organisationId: orgId });
    expect(await enrolment(campaign.id, "LOPEZ")).toMatchObject({ eligible: true, optOut: false });

    const later = await makeCampaign(orgId);
    await importListing(later.id, listing([
      "NOM;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE;OPPOSITION",
      "GARCIA;Ana;01/01/1950;0612345678;42218;Non",
      "LOPEZ;Rui;02/02/1951;0612345679;42218;",
      "NOUVEAU;Paul;05/05/1980;0612345670;42218;", // created by the register import above
    ]));
    expect(await enrolment(later.id, "GARCIA")).toMatchObject({ eligible: false, ineligibleReason: "opposé aux appels", optOut: true });
    expect(await enrolment(later.id, "NOUVEAU")).toMatchObject({ eligible: false, ineligibleReason: "opposé aux appels", optOut: true });
    expect(await enrolment(later.id, "LOPEZ")).toMatchObject({ eligible: true, optOut: false });
    expect(await opposed(garcia.patientId)).toBe(true);
    // the register keeps the first entry (the first listing)
    expect((await db().opposition.findUnique({ where: { patientId: garcia.patientId } }))!.importId).toBe(first);
  });
});
