// A later listing updates what it gives and keeps what it does not: a file without an MT, ALD or CSS column does
// not make a patient with a GP callable again, nor drop their priority; a roster without addresses or capacities
// does not erase a practice or its places.
import { describe, expect, it } from "vitest";
import { pgPool } from "../../server/pgPool.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { importFile } from "../factories/imports.ts";
import { nextRpps } from "../factories/orientations.ts";

/** A NIR with its key (97 − the number mod 97). */
const nir = (body13: string) => `${body13}${String(97 - Number(BigInt(body13) % 97n)).padStart(2, "0")}`;

async function patientsOf(organisationId: string) {
  const { rows } = await pgPool().query(`SELECT "lastName", "birthName", "firstName", "matchKey", "phones" FROM "Patient" WHERE "organisationId" = $1 ORDER BY "lastName", "firstName"`, [organisationId]);
  return rows;
}

describe("a later listing", () => {
  it("of another campaign, without phones, makes an opposed patient and one with a GP ineligible in every open campaign", async () => {
    const org = await makeOrganisation();
    const first = await makeCampaign(org.id);
    const second = await makeCampaign(org.id);
    await importFile(org, first.id, [
      "IDENTIFIANT;NOM;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE;ALD",
      "P1;BERNARD;Anne;01/02/1948;06 12 34 56 79;42218;O",
      "P2;ROBERT;Paul;03/04/1961;06 12 34 56 78;42218;O",
      "P3;PETIT;Jeanne;05/06/1955;06 12 34 56 77;42218;N",
    ]);
    // What a fund sends for someone who asked not to be called, or who has declared a GP since: often no phone.
    const later = await importFile(org, second.id, [
      "IDENTIFIANT;NOM;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE;OPPOSITION;MT",
      "P1;BERNARD;Anne;01/02/1948;;42218;O;N",
      "P2;ROBERT;Paul;03/04/1961;;42218;N;O",
      "P3;PETIT;Jeanne;05/06/1955;06 12 34 56 77;42218;N;N",
    ]);
    expect(later).toMatchObject({ merged: 3, remarked: 2 });
    const { rows } = await pgPool().query(
      `SELECT p."externalId", e."eligible", e."ineligibleReason", (o."patientId" IS NOT NULL) AS "onRegister", jsonb_array_length(p."phones") AS "phones"
       FROM "Patient" p JOIN "Enrolment" e ON e."patientId" = p."id" LEFT JOIN "Opposition" o ON o."patientId" = p."id"
       WHERE e."campaignId" = $1 ORDER BY p."externalId"`, [first.id]);
    expect(rows).toEqual([
      { externalId: "P1", eligible: false, ineligibleReason: "opposé aux appels", onRegister: true, phones: 1 },
      { externalId: "P2", eligible: false, ineligibleReason: "a déjà un médecin traitant", onRegister: false, phones: 1 },
      { externalId: "P3", eligible: true, ineligibleReason: null, onRegister: false, phones: 1 },
    ]);
  });

  it("keeps the patient's MT, ALD, CSS, sex and address when its columns are absent; a new commune takes its address", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id);
    await importFile(org, campaign.id, [
      "IDENTIFIANT;NOM;PRENOM;DATE_NAISSANCE;SEXE;TEL_PORTABLE;ADRESSE;CODE_POSTAL;CODE_INSEE;ALD;CSS;MT",
      "P1;D’ARTAGNAN;Léa;01/02/1948;F;06 12 34 56 79;1 rue de l’Œuvre;42000;42218;Oui;Oui;O",
      "P2;CŒUR;Chloé;03/04/1950;F;06 12 34 56 78;2 place Jean-Jaurès;42000;42218;Oui;Non;N",
    ]);
    await importFile(org, campaign.id, [
      "IDENTIFIANT;NOM;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE",
      "P1;D’ARTAGNAN;Léa;01/02/1948;06 12 34 56 79;42218",
      "P2;CŒUR;Chloé;03/04/1950;06 12 34 56 78;42095", // moved to another commune
    ]);
    const { rows } = await pgPool().query(
      `SELECT p."externalId", p."hasMt", p."ald", p."css", p."sex", p."address", p."postalCode", p."inseeCode", e."eligible", e."ineligibleReason", e."priorityLabel"
       FROM "Patient" p JOIN "Enrolment" e ON e."patientId" = p."id" WHERE e."campaignId" = $1 ORDER BY p."externalId"`, [campaign.id]);
    expect(rows).toEqual([
      { externalId: "P1", hasMt: true, ald: true, css: true, sex: "F", address: "1 rue de l’Œuvre", postalCode: "42000", inseeCode: "42218",
        eligible: false, ineligibleReason: "a déjà un médecin traitant", priorityLabel: expect.stringMatching(/^ALD, 78 ans/) },
      { externalId: "P2", hasMt: false, ald: true, css: false, sex: "F", address: null, postalCode: null, inseeCode: "42095",
        eligible: true, ineligibleReason: null, priorityLabel: "ALD, 76 ans, sans MT" },
    ]);
  });

  it("an MT column that says no, and an empty ALD cell, are still read", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id);
    const header = "IDENTIFIANT;NOM;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE;ALD;MT";
    await importFile(org, campaign.id, [header, "P1;RÉMI;Zoé;01/02/1948;06 12 34 56 79;42218;X;O"]);
    await importFile(org, campaign.id, [header, "P1;RÉMI;Zoé;01/02/1948;06 12 34 56 79;42218;;N"]);
    const { rows: [p] } = await pgPool().query(`SELECT "hasMt", "ald" FROM "Patient" WHERE "organisationId" = $1`, [org.id]);
    expect(p).toEqual({ hasMt: false, ald: false });
  });

  it("a roster without addresses or capacities keeps the GP's practice and places", async () => {
    const org = await makeOrganisation();
    const gp = nextRpps();
    await importFile(org, null, [
      "RPPS;NOM;PRENOM;ADRESSE;CODE_INSEE;CAPACITE;ACCEPTE ALD;DATE FIN ACTIVITE",
      `${gp};LEFÈVRE;Hélène;1 rue de l’Œuvre;42218;12;Non;31/12/2027`,
    ]);
    await importFile(org, null, ["RPPS;NOM;PRENOM;CODE_INSEE", `${gp};LEFÈVRE;Hélène;42218`]);
    const { rows: [kept] } = await pgPool().query(`SELECT "address", "capacity", "acceptsNew", "acceptsAld", to_char("endOfActivity", 'YYYY-MM-DD') AS "end" FROM "Gp" WHERE "rpps" = $1`, [gp]);
    expect(kept).toEqual({ address: "1 rue de l’Œuvre", capacity: 12, acceptsNew: true, acceptsAld: false, end: "2027-12-31" });
    await importFile(org, null, ["RPPS;NOM;PRENOM;CODE_INSEE;CAPACITE", `${gp};LEFÈVRE;Hélène;42095;0`]); // moved, and full
    const { rows: [moved] } = await pgPool().query(`SELECT "address", "inseeCode", "capacity", "acceptsNew" FROM "Gp" WHERE "rpps" = $1`, [gp]);
    expect(moved).toEqual({ address: null, inseeCode: "42095", capacity: 0, acceptsNew: false });
  });

  it("finds the patient keyed otherwise: with or without the birth name, with or without the NIR", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id);
    await importFile(org, campaign.id, [
      "NOM;Nom de naissance;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE",
      "CŒUR;BŒUF;Chloé;03/04/1950;06 12 34 56 78;42218",
      "DUPONT;;Rémi;05/06/1951;06 12 34 56 70;42218",
    ]);
    const second = await importFile(org, campaign.id, [
      "NOM;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;NIR;CODE_INSEE",
      "Cœur;Chloé;03/04/1950;06 99 99 99 01;;42218", // the name in use only
      `DUPONT;Rémi;05/06/1951;06 12 34 56 70;${nir("1510642218001")};42218`, // now with the NIR
      `DUPONT;Rémi;05/06/1951;06 12 34 56 71;${nir("1510642218002")};42218`, // another NIR: another man
    ]);
    expect({ accepted: second.accepted, merged: second.merged }).toEqual({ accepted: 1, merged: 2 });
    const patients = await patientsOf(org.id);
    expect(patients.map((p) => [p.lastName, p.birthName, p.firstName, p.matchKey.slice(0, 4)])).toEqual([
      ["Cœur", "BŒUF", "Chloé", "pk:B"], ["DUPONT", null, "Rémi", "nir:"], ["DUPONT", null, "Rémi", "nir:"],
    ]);
    expect(patients[0].phones.map((p: { e164: string }) => p.e164)).toEqual(["+33699999901", "+33612345678"]);
    const { rows: [enrolled] } = await pgPool().query(`SELECT count(*)::int AS n FROM "Enrolment" WHERE "campaignId" = $1`, [campaign.id]);
    expect(enrolled.n).toBe(3);
    // and back: a listing without NIR finds the first man by name, but the name alone cannot tell the two apart now
    const third = await importFile(org, campaign.id, ["NOM;Nom de naissance;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE", "CŒUR;BŒUF;Chloé;03/04/1950;06 12 34 56 78;42218"]);
    expect({ accepted: third.accepted, merged: third.merged }).toEqual({ accepted: 0, merged: 1 });
  });

  it("one listing naming the same person twice, once with the NIR and once without: one patient", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id);
    const imp = await importFile(org, campaign.id, [
      "NOM;Nom de naissance;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;NIR;CODE_INSEE",
      "MARTIN;DURAND;Léa;01/02/1948;06 12 34 56 79;;42218",
      `MARTIN;;Léa;01/02/1948;06 12 34 56 79;${nir("2480242218003")};42218`,
    ]);
    expect({ accepted: imp.accepted, merged: imp.merged }).toEqual({ accepted: 1, merged: 1 });
    expect((await patientsOf(org.id)).map((p) => [p.birthName, p.matchKey.slice(0, 4)])).toEqual([["DURAND", "nir:"]]);
  });

  it("a known patient found both by a row's own key and by another row's name goes to the first, the other is new", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id);
    await importFile(org, campaign.id, ["IDENTIFIANT;NOM;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE", "P1;DUPONT;Rémi;05/06/1951;06 12 34 56 70;42218"]);
    const second = await importFile(org, campaign.id, [
      "IDENTIFIANT;NOM;Nom de naissance;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE",
      ";DUPONT;MARTIN;Rémi;05/06/1951;06 12 34 56 71;42218", // by name, P1 could be him…
      "P1;DUPONT;DURAND;Rémi;05/06/1951;06 12 34 56 70;42218", // …but P1 is this one (another birth name: another man)
    ]);
    expect({ accepted: second.accepted, merged: second.merged }).toEqual({ accepted: 1, merged: 1 });
    expect((await patientsOf(org.id)).map((p) => [p.birthName, p.matchKey.slice(0, 3)]).sort()).toEqual([["DURAND", "ext"], ["MARTIN", "pk:"]]);
  });
});

describe("a later listing that writes a known patient's names poorer", () => {
  const HEADER = "IDENTIFIANT;Nom de naissance;Nom d'usage;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;ADRESSE;CODE_INSEE;ALD";
  async function stored(organisationId: string) {
    const { rows } = await pgPool().query(
      `SELECT "lastName", "birthName", "firstName", "address", "inseeCode", "ald", "phones" FROM "Patient" WHERE "organisationId" = $1 ORDER BY "createdAt"`, [organisationId]);
    return rows.map((r) => ({ ...r, phones: r.phones.map((p: { e164: string }) => p.e164) }));
  }

  it("keeps « Élodie », « Saint-Étienne » and the usage name, takes the new phone and the flags it states, and the history keeps what each said", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id);
    const first = await importFile(org, campaign.id, [HEADER, "P1;DUPONT;Martin;Élodie;12/03/1950;06 12 34 56 78;3 rue de Saint-Étienne;42218;N"]);
    const later = await importFile(org, campaign.id, [HEADER, "P1;DUPONT;;ELODIE;12/03/1950;07 81 22 33 44;3 RUE DE ST ETIENNE;42218;O"]);
    expect(later).toMatchObject({ accepted: 0, merged: 1 });
    expect(await stored(org.id)).toEqual([{
      lastName: "Martin", birthName: "DUPONT", firstName: "Élodie", address: "3 rue de Saint-Étienne", inseeCode: "42218", ald: true,
      phones: ["+33781223344", "+33612345678"],
    }]);
    const { rows: history } = await pgPool().query(
      `SELECT "importId", "data"->>'lastName' AS "lastName", "data"->>'firstName' AS "firstName", "data"->>'address' AS "address" FROM "PatientSource" s
       JOIN "Patient" p ON p."id" = s."patientId" WHERE p."organisationId" = $1 ORDER BY s."createdAt"`, [org.id]);
    expect(history).toEqual([
      { importId: first.id, lastName: "Martin", firstName: "Élodie", address: "3 rue de Saint-Étienne" },
      { importId: later.id, lastName: "DUPONT", firstName: "ELODIE", address: "3 RUE DE ST ETIENNE" },
    ]);
    // the name in use kept, its key too: a listing naming her by it alone finds her
    const third = await importFile(org, campaign.id, ["Nom d'usage;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE", "MARTIN;Elodie;12/03/1950;06 12 34 56 78;42218"]);
    expect(third).toMatchObject({ accepted: 0, merged: 1 });
    expect((await stored(org.id)).map((p) => [p.lastName, p.firstName])).toEqual([["Martin", "Élodie"]]);
  });

  it("takes a richer spelling of the same, and what is really new: another usage name, another address", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id);
    await importFile(org, campaign.id, [HEADER, "P1;DUPONT;MARTIN;ELODIE;12/03/1950;06 12 34 56 78;3 RUE DE ST ETIENNE;42218;N"]);
    await importFile(org, campaign.id, [HEADER, "P1;Dupont;Martin;Élodie;12/03/1950;06 12 34 56 78;3 rue de Saint-Étienne;42218;N"]);
    expect((await stored(org.id))[0]).toMatchObject({ lastName: "Martin", birthName: "Dupont", firstName: "Élodie", address: "3 rue de Saint-Étienne" });
    await importFile(org, campaign.id, [HEADER, "P1;DUPONT;BERNARD;ELODIE;12/03/1950;06 12 34 56 78;5 AVENUE FOCH;42218;N"]);
    expect((await stored(org.id))[0]).toMatchObject({ lastName: "BERNARD", birthName: "Dupont", firstName: "Élodie", address: "5 AVENUE FOCH" });
  });

  it("merges two rows of one person in one listing the same way, whatever their order", async () => {
    for (const order of [[0, 1], [1, 0]]) {
      const org = await makeOrganisation();
      const campaign = await makeCampaign(org.id);
      const rows = ["P1;DUPONT;Martin;Élodie;12/03/1950;06 12 34 56 78;3 rue de Saint-Étienne;42218;N", "P1;DUPONT;;ELODIE;12/03/1950;07 81 22 33 44;3 RUE DE ST ETIENNE;42218;N"];
      const imp = await importFile(org, campaign.id, [HEADER, ...order.map((i) => rows[i])]);
      expect(imp).toMatchObject({ accepted: 1, merged: 1 });
      expect((await stored(org.id)).map(({ lastName, firstName, address }) => ({ lastName, firstName, address })))
        .toEqual([{ lastName: "Martin", firstName: "Élodie", address: "3 rue de Saint-Étienne" }]);
    }
  });
});
