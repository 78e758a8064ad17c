// What a GP roster says is kept as it says it: a blank capacity is "not stated" (never 0 places), a past end of
// activity is accepted and said, and such a GP is never proposed, on their own or through their team.
import { describe, expect, it } from "vitest";
import { pgPool } from "../../server/pgPool.ts";
import { findCandidates } from "../../server/matching/findCandidates.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { importFile } from "../factories/imports.ts";
import { nextRpps } from "../factories/orientations.ts";

const HEADER = "RPPS;NOM;PRENOM;CODE_INSEE;MSP;CAPACITE;ACCEPTE NOUVEAUX PATIENTS;DATE FIN ACTIVITE";

async function gps(organisationId: string) {
  const { rows } = await pgPool().query(
    `SELECT g."lastName", g."capacity", g."acceptsNew", t."name" AS "team", t."capacity" AS "teamCapacity", t."acceptsNew" AS "teamAcceptsNew"
     FROM "Gp" g LEFT JOIN "Team" t ON t."id" = g."teamId" WHERE g."organisationId" = $1 ORDER BY g."lastName"`, [organisationId]);
  return Object.fromEntries(rows.map(({ lastName, ...r }) => [lastName, r]));
}

/** Who is proposed to a patient of Saint-Étienne (where the roster's GPs practise). */
async function proposedTo(organisationId: string) {
  const campaign = await makeCampaign(organisationId);
  const [e] = await makeEnrolledPatients(organisationId, campaign.id, 1, { inseeCode: "42218" });
  return (await findCandidates(pgPool(), { organisationId, enrolmentId: e.id })).candidates.map((c) => c.name);
}

describe("a GP roster", () => {
  it("reads a blank capacity as not stated: a known GP keeps their places, a new one is read from « accepte de nouveaux patients »", async () => {
    const org = await makeOrganisation();
    const [known, yes, no, silent] = [nextRpps(), nextRpps(), nextRpps(), nextRpps()];
    await importFile(org, null, [HEADER, `${known};CONNU;Anne;42218;;12;oui;`]);
    const imp = await importFile(org, null, [
      HEADER,
      `${known};CONNU;Anne;42218;;;;`,
      `${yes};OUI;Paul;42218;;;oui;`,
      `${no};NON;Luc;42218;;;non;`,
      `${silent};MUET;Eva;42218;;;;`,
    ]);
    expect(imp).toMatchObject({ accepted: 3, merged: 1, remarked: 3 });
    expect(await gps(org.id)).toMatchObject({
      CONNU: { capacity: 12, acceptsNew: true },
      OUI: { capacity: 1, acceptsNew: true },
      NON: { capacity: 0, acceptsNew: false },
      MUET: { capacity: 0, acceptsNew: false },
    });
    expect(imp.remarks).toEqual({
      3: "nombre de places non indiqué : 1 place retenue (accepte de nouveaux patients), à faire préciser par le médecin (lien capacité)",
      4: "nombre de places non indiqué : aucune place retenue, médecin non proposé tant qu'il n'en déclare pas (lien capacité)",
      5: "nombre de places non indiqué : aucune place retenue, médecin non proposé tant qu'il n'en déclare pas (lien capacité)",
    });
    expect(await proposedTo(org.id)).toEqual(expect.arrayContaining(["CONNU Anne", "OUI Paul"]));
    expect(await proposedTo(org.id)).toHaveLength(2);
    // what a later roster states is taken
    await importFile(org, null, [HEADER, `${known};CONNU;Anne;42218;;0;;`, `${silent};MUET;Eva;42218;;4;;`]);
    expect(await gps(org.id)).toMatchObject({ CONNU: { capacity: 0, acceptsNew: false }, MUET: { capacity: 4, acceptsNew: true } });
  });

  it("accepts a GP whose activity has ended, says so, and proposes them neither alone nor through their team", async () => {
    const org = await makeOrganisation();
    const imp = await importFile(org, null, [
      HEADER,
      `${nextRpps()};RETRAITE;Marc;42218;;3;oui;31/12/2020`,
      `${nextRpps()};PARTI;Jean;42218;MSP du Pilat;8;oui;15/01/2021`,
      `${nextRpps()};RESTE;Lise;42218;MSP du Pilat;2;oui;`,
    ]);
    expect(imp).toMatchObject({ accepted: 3, rejected: 0, remarked: 2 });
    expect(imp.remarks).toEqual({
      2: "activité terminée le 31/12/2020 : médecin gardé dans l'annuaire, jamais proposé",
      3: "activité terminée le 15/01/2021 : médecin gardé dans l'annuaire, jamais proposé",
    });
    expect(await gps(org.id)).toMatchObject({ RETRAITE: { capacity: 3, acceptsNew: true }, PARTI: { team: "MSP du Pilat", teamCapacity: 2 } });
    expect(await proposedTo(org.id)).toEqual(["MSP du Pilat"]);
    // the team's last doctor still practising leaves too: the team is no longer proposed
    await importFile(org, null, [HEADER, `${(await pgPool().query(`SELECT "rpps" FROM "Gp" WHERE "lastName" = 'RESTE' AND "organisationId" = $1`, [org.id])).rows[0].rpps};RESTE;Lise;42218;MSP du Pilat;2;oui;01/02/2021`]);
    expect(await gps(org.id)).toMatchObject({ RESTE: { teamCapacity: 0, teamAcceptsNew: false } });
    expect(await proposedTo(org.id)).toEqual([]);
  });
});

describe("the MSP teams of a roster", () => {
  async function teams(organisationId: string) {
    const { rows } = await pgPool().query(
      `SELECT t."name", t."capacity", count(g."id")::int AS "doctors" FROM "Team" t LEFT JOIN "Gp" g ON g."teamId" = t."id"
       WHERE t."organisationId" = $1 GROUP BY t."id" ORDER BY count(g."id") DESC, t."name"`, [organisationId]);
    return rows;
  }

  it("are one team per name once folded (case, accents, punctuation, « MSP » / « maison de santé », articles), with the richest spelling", async () => {
    const org = await makeOrganisation();
    const imp = await importFile(org, null, [
      HEADER,
      `${nextRpps()};MARTIN;Anne;42218;msp des trois rivieres;2;oui;`,
      `${nextRpps()};DURAND;Paul;42218;MSP Trois-Rivières;5;oui;`,
      `${nextRpps()};PETIT;Luc;42218;MSP des Trois Rivières;1;oui;`,
      `${nextRpps()};ROUX;Eva;42218;M.S.P. DES TROIS RIVIERES;1;oui;`,
      `${nextRpps()};LEROY;Marc;42218;MSP du Pilat;3;oui;`,
    ]);
    expect(imp).toMatchObject({ accepted: 5, rejected: 0 });
    expect(await teams(org.id)).toEqual([
      { name: "MSP des Trois Rivières", capacity: 9, doctors: 4 },
      { name: "MSP du Pilat", capacity: 3, doctors: 1 },
    ]);
    // a later roster: a poorer spelling finds the team and keeps its name, a richer one renames it
    await importFile(org, null, [HEADER, `${nextRpps()};BLANC;Jo;42218;MAISON DE SANTE TROIS RIVIERES;1;oui;`]);
    expect((await teams(org.id)).map((t) => [t.name, t.doctors])).toEqual([["MSP des Trois Rivières", 5], ["MSP du Pilat", 1]]);
    await importFile(org, null, [HEADER, `${nextRpps()};NOIR;Al;42218;Maison de santé pluriprofessionnelle des Trois Rivières;1;oui;`]);
    expect((await teams(org.id)).map((t) => [t.name, t.doctors])).toEqual([["Maison de santé pluriprofessionnelle des Trois Rivières", 6], ["MSP du Pilat", 1]]);
  });

  it("a GP who changes team takes their places with them; a team's own line is rejected with its reason, every row accounted for", async () => {
    const org = await makeOrganisation();
    const gp = nextRpps();
    await importFile(org, null, [HEADER, `${gp};MARTIN;Anne;42218;MSP du Pilat;4;oui;`]);
    const imp = await importFile(org, null, [
      HEADER,
      `${gp};MARTIN;Anne;42218;MSP des Trois Rivières;4;oui;`,
      ";;;42218;MSP des Trois Rivières;20;oui;",
    ], { rejected: 1 });
    expect(imp).toMatchObject({ rowsRead: 2, accepted: 0, merged: 1, rejected: 1 });
    expect(imp.rejections).toEqual({
      3: "ligne d'équipe sans médecin (« MSP des Trois Rivières ») : l'annuaire n'importe que des médecins (RPPS) ; la capacité de l'équipe se déclare par son lien capacité",
    });
    expect(await teams(org.id)).toEqual([{ name: "MSP des Trois Rivières", capacity: 4, doctors: 1 }, { name: "MSP du Pilat", capacity: 0, doctors: 0 }]);
    expect(await proposedTo(org.id)).toEqual(["MSP des Trois Rivières"]);
  });
});

describe("a later roster that writes a known GP poorer", () => {
  it("keeps « Lefèvre Hélène » and her address against « LEFEVRE HELENE » and an empty cell, takes a new address", async () => {
    const org = await makeOrganisation();
    const gp = nextRpps();
    const header = "RPPS;NOM;PRENOM;ADRESSE;CODE_INSEE";
    const stored = async () => (await pgPool().query(`SELECT "lastName", "firstName", "address" FROM "Gp" WHERE "organisationId" = $1`, [org.id])).rows[0];
    await importFile(org, null, [header, `${gp};Lefèvre;Hélène;1 rue de l’Œuvre;42218`]);
    await importFile(org, null, [header, `${gp};LEFEVRE;HELENE;;42218`]);
    expect(await stored()).toEqual({ lastName: "Lefèvre", firstName: "Hélène", address: "1 rue de l’Œuvre" });
    await importFile(org, null, [header, `${gp};LEFEVRE-DURAND;HELENE;12 AVENUE FOCH;42218`]);
    expect(await stored()).toEqual({ lastName: "LEFEVRE-DURAND", firstName: "Hélène", address: "12 AVENUE FOCH" });
  });

  it("merges a GP given twice in one file as across two files: a blank cell of the later line keeps what the earlier gave", async () => {
    const header = "RPPS;NOM;PRENOM;ADRESSE;CODE_INSEE;MSP;E-MAIL;CAPACITE";
    const read = async (organisationId: string) => (await pgPool().query(
      `SELECT g."lastName", g."firstName", g."address", t."name" AS "team", g."email", g."capacity" FROM "Gp" g LEFT JOIN "Team" t ON t."id" = g."teamId" WHERE g."organisationId" = $1`,
      [organisationId])).rows;
    const gp = nextRpps();
    const lines = [`${gp};Lefèvre;Hélène;1 rue de l’Œuvre;42218;MSP du Soleil;h.lefevre@exemple.fr;6`, `${gp};LEFEVRE;HELENE;;42218;;;`];
    const inOneFile = await makeOrganisation();
    const report = await importFile(inOneFile, null, [header, ...lines]);
    expect(report).toMatchObject({ rowsRead: 2, accepted: 1, merged: 1, rejected: 0 });
    const inTwoFiles = await makeOrganisation();
    for (const line of lines) await importFile(inTwoFiles, null, [header, line]);
    const expected = [{ lastName: "Lefèvre", firstName: "Hélène", address: "1 rue de l’Œuvre", team: "MSP du Soleil", email: "h.lefevre@exemple.fr", capacity: 6 }];
    expect(await read(inOneFile.id)).toEqual(expected);
    expect(await read(inTwoFiles.id)).toEqual(expected);
  });
});
