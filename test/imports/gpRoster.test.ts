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
