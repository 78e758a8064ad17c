// The coordinator corrects the header line detection chose: among the first lines of the listing's sheet, the preview
// and the proposed mapping follow the line chosen, the lines above it are not imported (counted as skipped), and once
// the import is launched its header no longer changes.
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { makeCampaign } from "../factories/campaigns.ts";
import { loginAs } from "../helpers/api.ts";
import { importSettled, uploadListing, useAppWithWorker } from "../helpers/imports.ts";

const t = useAppWithWorker();

// A fund's extraction whose first line names columns too (a two-line header, the first one of groups): detection takes
// line 1, whose cells it recognises best; the listing's own header is line 2.
const LISTING = [
  "NOM;PRENOM;Date de naissance;Téléphone;Téléphone;ALD;Commune",
  "NOM_NAISSANCE;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;TEL_FIXE;ALD;CODE_INSEE",
  "DUPONT;Marie;12/03/1948;06 12 34 56 78;04 77 12 34 56;O;42218",
  "MARTIN;Paul;01/02/1950;06 98 76 54 32;;N;42218",
];

describe("choosing the header line", () => {
  it("the preview and the proposal follow the line chosen; a line out of the head is refused; launched, it is fixed", async () => {
    const me = await loginAs(t.app, "coordinator");
    const campaign = await makeCampaign(me.user.organisationId);
    const res = await uploadListing(me, campaign.id, iconv.encode(`« Extraction du 01/12/2026 »\r\n${LISTING.join("\r\n")}\r\n`, "windows-1252"), "double-entete.csv").expect(202);
    const first = await importSettled(me, res.body.id);
    expect(first.status).toBe("uploaded"); // the title line above makes detection ask
    expect(first.needsMapping).toMatchObject({ headerLine: 2, above: [{ line: 1, cells: ["« Extraction du 01/12/2026 »"] }] });

    const header = (line: unknown) => me.agent.put(`/api/imports/${res.body.id}/header`).set("X-CSRF-Token", me.csrf).send({ line });
    const chosen = (await header(3).expect(200)).body;
    expect(chosen.status).toBe("uploaded");
    expect(chosen.detected.headerLine).toBe(3);
    expect(chosen.needsMapping).toMatchObject({
      headerLine: 3,
      headers: LISTING[1].split(";"),
      rows: [{ line: 4, cells: LISTING[2].split(";") }, { line: 5, cells: LISTING[3].split(";") }],
      above: [{ line: 1 }, { line: 2, cells: LISTING[0].split(";") }],
      proposal: { birthName: 0, firstName: 1, birthDate: 2, phones: [3, 4], ald: 5, inseeCode: 6 },
      missingRequired: [],
    });

    expect((await header(40).expect(400)).body.error.message)
      .toBe("La ligne 40 ne peut pas être l'en-tête : il est choisi parmi les 30 premières lignes de la feuille, non vides (lignes 1 à 5).");
    expect((await header("3").expect(400)).body.error.message).toBe("Données invalides : Ligne d'en-tête : numéro de ligne attendu");
    expect((await header(0).expect(400)).body.error.message).toBe("Données invalides : Ligne d'en-tête : numéro de ligne attendu");

    const launched = await me.agent.put(`/api/imports/${res.body.id}/mapping`).set("X-CSRF-Token", me.csrf)
      .send({ mapping: chosen.needsMapping.proposal, save: false }).expect(202);
    expect(launched.body.status).toMatch(/queued|running|done/);
    const done = await importSettled(me, res.body.id);
    expect(done).toMatchObject({ status: "done", counts: { rows: 2, accepted: 2, rejected: 0, skipped: 2 }, rejected: [] });
    expect(done.detected.notes).toEqual(["En-tête trouvé ligne 3 : les lignes 1 et 2, au-dessus, ne sont pas importées (un titre, des lignes vides : pas des lignes du listing)."]);
    expect((await header(2).expect(409)).body.error.message).toBe("Cet import est déjà lancé : sa ligne d'en-tête ne peut plus changer.");
  });
});
