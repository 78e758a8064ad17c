import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { CommuneResolver } from "../../../server/imports/parsing/commune.ts";
import { mapHeaders } from "../../../server/imports/parsing/mapHeaders.ts";
import { parsePatientRow, type PatientRowResult } from "../../../server/imports/parsing/parsePatientRow.ts";
import { readRows, type RawRow } from "../../../server/imports/parsing/readRows.ts";
import { resolveCommune } from "../../../server/geo/communes.ts";
import { makeTempDir, NIR_CORSE, NIR_PARIS, RPPS_OK, writeCpamListing, writeCptsListing, writeMsaListing, writeXlsxListing } from "./makeListing.ts";

const today = new Date("2025-06-15T10:00:00Z");
const fakeResolver: CommuneResolver = (q) => (q.inseeCode ? { inseeCode: q.inseeCode } : { error: "commune introuvable" });

async function parseFile(path: string): Promise<Map<number, PatientRowResult>> {
  const rows: RawRow[] = [];
  for await (const row of readRows(path)) rows.push(row);
  const { mapping } = mapHeaders(rows[0].cells, "patient");
  return new Map(rows.slice(1).map((r) => [r.line, parsePatientRow(r.cells, mapping, resolveCommune, { today })]));
}
function accepted(result: PatientRowResult | undefined) {
  if (!result || !("ok" in result) || !result.ok) throw new Error(`not accepted: ${JSON.stringify(result)}`);
  return result.patient;
}

describe("parsePatientRow", () => {
  const mapping = { lastName: 0, firstName: 1, birthDate: 2, phones: [3, 4], inseeCode: 5, ald: 6, optOut: 7, nir: 8 };

  it("skips blank rows and footers", () => {
    expect(parsePatientRow(["", " ", ""], mapping, fakeResolver)).toEqual({ skip: "empty" });
    expect(parsePatientRow([""], mapping, fakeResolver)).toEqual({ skip: "empty" });
    expect(parsePatientRow(["TOTAL", "1234"], mapping, fakeResolver)).toEqual({ skip: "footer" });
    expect(parsePatientRow(["Total général", "", "", "812"], mapping, fakeResolver)).toEqual({ skip: "footer" });
  });

  it("rejects with French reasons", () => {
    const row = (overrides: Record<number, string>) => {
      const cells = ["DUPONT", "Jean", "12/03/1950", "06 12 34 56 78", "", "01053", "O", "N", ""];
      for (const [i, v] of Object.entries(overrides)) cells[Number(i)] = v;
      return parsePatientRow(cells, mapping, fakeResolver, { today });
    };
    expect(row({ 0: "" })).toEqual({ ok: false, reason: "nom manquant" });
    expect(row({ 2: "" })).toEqual({ ok: false, reason: "date de naissance manquante" });
    expect(row({ 2: "31/02/1950" })).toEqual({ ok: false, reason: "date de naissance inexistante : « 31/02/1950 »" });
    expect(row({ 2: "bientôt" })).toEqual({ ok: false, reason: "date de naissance invalide : « bientôt » (attendu jj/mm/aaaa)" });
    // a bare number is an Excel serial only where it can be a birth date: six digits never are (« 150352 » was read as 2311)
    expect(row({ 2: "150352" })).toEqual({ ok: false, reason: "date de naissance invalide : « 150352 » (attendu jj/mm/aaaa)" });
    expect(row({ 2: "18334" })).toMatchObject({ ok: true, patient: { birthDate: "1950-03-12" } });
    expect(row({ 2: "01/01/2030" })).toEqual({ ok: false, reason: "date de naissance dans le futur : « 01/01/2030 »" });
    expect(row({ 2: "01/01/1890" })).toEqual({ ok: false, reason: "date de naissance improbable : « 01/01/1890 » (plus de 120 ans)" });
    expect(row({ 3: "" })).toEqual({ ok: false, reason: "aucun numéro de téléphone valide" });
    expect(row({ 3: "06 12 34" })).toEqual({ ok: false, reason: "aucun numéro de téléphone valide (numéro invalide : « 06 12 34 »)" });
    expect(row({ 5: "" })).toEqual({ ok: false, reason: "commune manquante (code INSEE, ou code postal et commune)" });
    expect(row({ 7: "peut-être" })).toEqual({
      ok: false,
      reason: "opposition : valeur non reconnue : « peut-être » (attendu Oui/Non, O/N, 1/0, X ou vide)",
    });
  });

  it("keeps a row without a valid phone that says the patient is opposed or has a GP (rule 5: nothing of it lost)", () => {
    const opposed = accepted(parsePatientRow(["DUPONT", "Jean", "12/03/1950", "", "06 12 34", "01053", "", "O", ""], mapping, fakeResolver, { today }));
    expect(opposed).toMatchObject({ optOut: true, phones: [], warnings: ["aucun numéro de téléphone valide : ligne gardée pour son opposition"] });
    expect(opposed.rawPhonesRejected).toEqual([{ raw: "06 12 34", reason: "numéro invalide : « 06 12 34 »" }]);
    const withGp = accepted(parsePatientRow(["DUPONT", "Jean", "12/03/1950", "", "", "01053", "", "", "X"], { ...mapping, nir: undefined, hasMt: 8 }, fakeResolver, { today }));
    expect(withGp).toMatchObject({ hasMt: true, optOut: false, phones: [], warnings: ["aucun numéro de téléphone valide : ligne gardée pour son médecin traitant"] });
    // Saying « no opposition » or « no GP » is not a reason to keep a row nobody can call.
    expect(parsePatientRow(["DUPONT", "Jean", "12/03/1950", "", "", "01053", "", "N", "N"], { ...mapping, nir: undefined, hasMt: 8 }, fakeResolver, { today }))
      .toEqual({ ok: false, reason: "aucun numéro de téléphone valide" });
  });

  it("keeps a row whose other phone is valid, with the dropped number and its reason", () => {
    const p = accepted(parsePatientRow(["DUPONT", "Jean", "12/03/1950", "06 12 34", "01 45 67 89 10", "01053", "", "", ""], mapping, fakeResolver, { today }));
    expect(p.phones).toEqual([{ e164: "+33145678910", type: "fixed", country: "FR" }]);
    expect(p.rawPhonesRejected).toEqual([{ raw: "06 12 34", reason: "numéro invalide : « 06 12 34 »" }]);
  });

  it("computes the age on the given day, validates the NIR and reads ALD numbers", () => {
    const p = accepted(parsePatientRow(["DUPONT", "Jean", "16/06/1950", "0612345678", "", "01053", "ALD 8; 30", "", NIR_PARIS], mapping, fakeResolver, { today }));
    expect(p.age).toBe(74);
    expect(p.nir).toBe(NIR_PARIS);
    expect(p.sex).toBe("M");
    expect(p.ald).toBe(true);
    const bad = accepted(parsePatientRow(["DUPONT", "Jean", "15/06/1950", "0612345678", "", "01053", "", "", "150037511504283"], mapping, fakeResolver, { today }));
    expect(bad.age).toBe(75);
    expect(bad.nir).toBeNull();
    expect(bad.warnings).toEqual(["NIR invalide (clé de contrôle incorrecte) : ignoré"]);
  });

  it("passes the commune resolver's error through", () => {
    const resolver: CommuneResolver = () => ({ error: "commune ambiguë : code postal 01300 correspond à 22 communes" });
    expect(parsePatientRow(["A", "B", "01/01/1950", "0612345678", "", "01300"], mapping, resolver)).toEqual({
      ok: false,
      reason: "commune ambiguë : code postal 01300 correspond à 22 communes",
    });
  });
});

describe("parsePatientRow over generated listings", () => {
  const dir = makeTempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("CPAM (;, Windows-1252)", async () => {
    const listing = writeCpamListing(dir);
    const results = await parseFile(listing.path);
    const l = listing.lines;
    const coeur = accepted(results.get(l.coeur));
    expect(coeur).toMatchObject({
      externalId: "C001", lastName: "CŒUR", firstName: "Lœtitia", birthDate: "1950-03-12", sex: "F", address: "12 rue de l’Église",
      postalCode: "75015", inseeCode: "75115", ald: true, css: false, nir: NIR_PARIS, relationRpps: RPPS_OK, relationVisits: 4,
      phones: [{ e164: "+33612345678", type: "mobile", country: "FR" }, { e164: "+33145678910", type: "fixed", country: "FR" }],
    });
    const multi = accepted(results.get(l.multiline));
    expect(multi.address).toBe("Résidence Les Pins; bât. B, 3 allée des Chênes, (2e étage)");
    expect(multi.inseeCode).toBe("01053"); // "BOURG EN BRESSE" + 01000
    const martin = accepted(results.get(l.afterMultiline));
    expect(martin.birthDate).toBe("1948-03-05");
    expect(martin.inseeCode).toBe("01053"); // "1053": Excel ate the zero
    expect(martin.phones.map((p) => p.e164)).toEqual(["+33612345679", "+33474123456"]);
    expect(accepted(results.get(l.reunion)).phones).toEqual([
      { e164: "+262692123456", type: "mobile", country: "RE" },
      { e164: "+262262212345", type: "fixed", country: "RE" },
    ]);
    expect(accepted(results.get(l.corsica))).toMatchObject({ inseeCode: "2A004", nir: NIR_CORSE, lastName: "d'Ornano" });
    expect(results.get(l.noValidPhone)).toEqual({ ok: false, reason: "aucun numéro de téléphone valide (numéro invalide : « 06 12 34 »)" });
    expect(accepted(results.get(l.oneBadPhone)).rawPhonesRejected).toEqual([{ raw: "06 12 34", reason: "numéro invalide : « 06 12 34 »" }]);
    expect(results.get(l.badDate)).toEqual({ ok: false, reason: "date de naissance inexistante : « 31/02/1950 »" });
    expect(accepted(results.get(l.duplicateA))).toEqual(accepted(results.get(l.duplicateB)));
    expect(results.get(l.delimitersOnly)).toEqual({ skip: "empty" });
    expect(results.get(l.emptyLine)).toEqual({ skip: "empty" });
    expect(accepted(results.get(l.guadeloupe)).phones).toEqual([{ e164: "+590690123456", type: "mobile", country: "GP" }]);
    expect(results.get(l.footer)).toEqual({ skip: "footer" });
  });

  it("MSA (, UTF-8 BOM)", async () => {
    const listing = writeMsaListing(dir);
    const results = await parseFile(listing.path);
    const l = listing.lines;
    expect(accepted(results.get(l.plus33))).toMatchObject({ lastName: "GARNIER", birthName: "GARNIER", firstName: "Noël", ald: true, css: false });
    expect(accepted(results.get(l.double00))).toMatchObject({ firstName: "Œdipe", ald: false, css: true, phones: [{ e164: "+33698765431" }] });
    expect(accepted(results.get(l.lost00)).phones.map((p) => p.e164)).toEqual(["+33612345670", "+33474000001"]);
    expect(accepted(results.get(l.martinique)).phones).toEqual([
      { e164: "+596696123456", type: "mobile", country: "MQ" },
      { e164: "+596596601234", type: "fixed", country: "MQ" },
    ]);
    expect(accepted(results.get(l.guyane)).phones).toEqual([{ e164: "+594694201234", type: "mobile", country: "GF" }]);
    expect(accepted(results.get(l.mayotte))).toMatchObject({ inseeCode: "97611", phones: [{ e164: "+262639012345", country: "YT" }] });
    const garbage = accepted(results.get(l.garbageFlag));
    expect(garbage.ald).toBe(null); // unreadable: says nothing, a known patient keeps their ALD
    expect(garbage.warnings).toEqual([
      "NIR incomplet (clé manquante) : ignoré",
      "ALD : valeur non reconnue : « peut-être » (attendu Oui/Non, O/N, 1/0, X ou vide) : ignoré",
    ]);
    expect(garbage.birthDate).toBe("1944-02-29");
  });

  it("CPTS (tab)", async () => {
    const listing = writeCptsListing(dir);
    const results = await parseFile(listing.path);
    const l = listing.lines;
    expect(accepted(results.get(l.nineDigits))).toMatchObject({
      birthDate: "1952-04-03", inseeCode: "42218", ald: true, css: false, consentContact: true, phones: [{ e164: "+33612345678" }],
    });
    expect(accepted(results.get(l.dots))).toMatchObject({ inseeCode: "76351", ald: true, css: false, consentContact: null });
    const ambiguous = results.get(l.ambiguousPostalCode);
    expect(ambiguous).toMatchObject({ ok: false });
    expect(ambiguous && "reason" in ambiguous && ambiguous.reason).toMatch(/^commune ambiguë : code postal 01300 correspond à \d+ communes : .*Belley \(01034\)/);
    expect(accepted(results.get(l.twoWithOu)).phones.map((p) => p.e164)).toEqual(["+33611111111", "+33622222222"]);
    expect(accepted(results.get(l.semicolonInQuotes))).toMatchObject({ inseeCode: "01053", phones: [{ e164: "+33633333333" }, { e164: "+33644444444" }] });
    expect(results.get(l.unknownCommune)).toEqual({
      ok: false,
      reason: "commune introuvable : « Atlantide » pour le code postal 01000 (communes de ce code postal : Bourg-en-Bresse (01053), Saint-Denis-lès-Bourg (01344))",
    });
    expect(results.get(l.footer)).toEqual({ skip: "footer" });
  });

  it("XLSX", async () => {
    const listing = await writeXlsxListing(dir);
    const results = await parseFile(listing.path);
    const l = listing.lines;
    expect(accepted(results.get(l.withDate))).toMatchObject({
      lastName: "LEFÈVRE", birthDate: "1950-03-12", inseeCode: "01053", ald: true, css: false, nir: NIR_PARIS,
      phones: [{ e164: "+33612345678", type: "mobile" }],
    });
    expect(accepted(results.get(l.serialAndRichText))).toMatchObject({
      lastName: "VAN DAMME", birthDate: "1950-03-12", inseeCode: "97411", phones: [{ e164: "+262692123456", country: "RE" }],
    });
    expect(results.get(l.noPhone)).toEqual({ ok: false, reason: "aucun numéro de téléphone valide" });
    expect(accepted(results.get(l.formula))).toMatchObject({ birthDate: "1951-04-01", inseeCode: "2B033" });
    expect(results.get(l.footer)).toEqual({ skip: "footer" });
  });
});
