import { describe, expect, it } from "vitest";
import { mapHeaders, missingRequiredFields } from "../../../server/imports/parsing/mapHeaders.ts";

describe("mapHeaders (patients)", () => {
  it("maps a CPAM header", () => {
    const headers = [
      "IDENTIFIANT", "NOM", "PRENOM", "DATE_NAISSANCE", "SEXE", "ADRESSE", "CP", "COMMUNE", "CODE_INSEE",
      "TEL_FIXE", "TEL_PORTABLE", "ALD", "CSS", "NIR", "RPPS_MEDECIN_CONSULTE", "NB_CONSULTATIONS", "OPPOSITION", "MT",
    ];
    const m = mapHeaders(headers, "patient");
    expect(m.mapping).toEqual({
      externalId: 0, lastName: 1, firstName: 2, birthDate: 3, sex: 4, address: [5], postalCode: 6, communeName: 7,
      inseeCode: 8, phones: [10, 9], ald: 11, css: 12, nir: 13, relationRpps: 14, relationVisits: 15, optOut: 16, hasMt: 17,
    });
    expect(m).toMatchObject({ unmapped: [], missingRequired: [], confident: true });
  });

  it("maps an MSA header spelt its own way", () => {
    const m = mapHeaders(["num_assure", "Nom de naissance", "Prénom", "Date de naissance", "Téléphone 2", "mobile", "insee", "ALD", "C2S", "N° sécu"], "patient");
    expect(m.mapping).toEqual({ externalId: 0, birthName: 1, firstName: 2, birthDate: 3, phones: [5, 4], inseeCode: 6, ald: 7, css: 8, nir: 9 });
    expect(m.confident).toBe(true);
  });

  it("maps a CPTS header with only postal code and commune", () => {
    const m = mapHeaders(["nom", "prenom", "ddn", "mobile", "TEL_FIXE", "CP", "COMMUNE", "ald", "css", "consentement", "Remarques"], "patient");
    expect(m.mapping).toMatchObject({ lastName: 0, firstName: 1, birthDate: 2, phones: [3, 4], postalCode: 5, communeName: 6, consentContact: 9 });
    expect(m.unmapped).toEqual(["Remarques"]);
    expect(m.confident).toBe(true);
  });

  it("understands filler words and keeps e-mail out of the address", () => {
    const m = mapHeaders(["Nom du patient", "Date de naissance du patient", "Numéro de téléphone", "Code postal", "Ville", "Adresse e-mail", "Adresse (suite)"], "patient");
    expect(m.mapping).toMatchObject({ lastName: 0, birthDate: 1, phones: [2], postalCode: 3, communeName: 4, address: [6] });
    expect(m.unmapped).toEqual(["Adresse e-mail"]);
    expect(m.confident).toBe(false); // "Adresse (suite)" was a guess
  });

  it("lists what is missing, in French", () => {
    const m = mapHeaders(["NOM", "PRENOM", "CP"], "patient");
    expect(m.missingRequired).toEqual([
      "date de naissance",
      "au moins une colonne de téléphone",
      "commune (code INSEE, ou code postal et nom de la commune)",
    ]);
    expect(m.confident).toBe(false);
  });

  it("leaves a second column for the same field to the coordinator", () => {
    const m = mapHeaders(["NOM", "Nom", "DDN", "TEL", "INSEE"], "patient");
    expect(m.mapping.lastName).toBe(0);
    expect(m.unmapped).toEqual(["Nom"]);
    expect(m.unsure).toEqual(["deux colonnes semblent dire la même chose : « NOM » est retenue, « Nom » est laissée de côté"]);
    expect(m.confident).toBe(false);
  });

  it.each([
    ["Médecin traitant (O/N)", "hasMt"], ["Opposition (O/N)", "optOut"], ["ALD (1/0)", "ald"], ["C2S (1/0)", "css"],
    ["Médecin traitant déclaré (1/0)", "hasMt"], ["Opposition au démarchage", "optOut"], ["MT déclaré (O/N)", "hasMt"],
    ["Refus d'être contacté", "optOut"], ["IND_MT", "hasMt"], ["Exonéré ALD", "ald"], ["Prénom(s)", "firstName"],
    ["Date de naissance (jj/mm/aaaa)", "birthDate"], ["IND_C2S", "css"], ["Top C2S (O/N)", "css"], ["ALD_O_N", "ald"],
    ["Sexe (H/F)", "sex"], ["Consentement (oui/non)", "consentContact"], ["Opposé au démarchage [O/N]", "optOut"],
  ])("recognises « %s » as %s, confidently", (header, field) => {
    const m = mapHeaders(["NOM", field === "birthDate" ? "TEL_FIXE" : "DDN", "TEL", "INSEE", header], "patient");
    expect((m.mapping as Record<string, unknown>)[field]).toBe(4);
    expect(m).toMatchObject({ unmapped: [], unsure: [], confident: true });
  });

  it("recognises the tester's listing: every column mapped, nothing ignored", () => {
    const m = mapHeaders(["Nom", "Prénom(s)", "Date de naissance (jj/mm/aaaa)", "Portable", "Code INSEE", "Médecin traitant (O/N)", "Opposition (O/N)", "ALD (1/0)", "C2S (1/0)"], "patient");
    expect(m.mapping).toEqual({ lastName: 0, firstName: 1, birthDate: 2, phones: [3], inseeCode: 4, hasMt: 5, optOut: 6, ald: 7, css: 8 });
    expect(m).toMatchObject({ unmapped: [], decisiveUnmapped: [], confident: true });
  });

  it("is unsure, and says why in French, when a column that may decide who is called is not recognised", () => {
    const m = mapHeaders(["NOM", "DDN", "TEL", "INSEE", "Remarques", "Opposition à toute sollicitation", "Nom du médecin traitant", "Date d'entrée en ALD"], "patient");
    expect(m.unmapped).toEqual(["Remarques", "Opposition à toute sollicitation", "Nom du médecin traitant", "Date d'entrée en ALD"]);
    expect(m.decisiveUnmapped.map((d) => d.header)).toEqual(["Opposition à toute sollicitation", "Nom du médecin traitant", "Date d'entrée en ALD"]);
    expect(m.unsure).toEqual([
      "la colonne « Opposition à toute sollicitation » n'a pas été reconnue : elle peut dire qui ne doit pas être appelé",
      "la colonne « Nom du médecin traitant » n'a pas été reconnue : elle peut dire qui a déjà un médecin traitant, et ne doit donc pas être appelé",
      "la colonne « Date d'entrée en ALD » n'a pas été reconnue : elle peut dire qui appeler en priorité",
    ]);
    expect(m.confident).toBe(false);
    // a column that only says « médecin »: perhaps the patient's declared GP
    expect(mapHeaders(["NOM", "DDN", "TEL", "INSEE", "MEDECIN"], "patient").decisiveUnmapped.map((d) => d.header)).toEqual(["MEDECIN"]);
    // an ordinary column left aside changes nothing
    expect(mapHeaders(["NOM", "DDN", "TEL", "INSEE", "Remarques"], "patient")).toMatchObject({ unmapped: ["Remarques"], unsure: [], confident: true });
  });

  it("drops only hints of how a column is written: « Adresse (suite) » stays a guess", () => {
    const m = mapHeaders(["NOM", "DDN", "TEL", "INSEE", "Adresse (suite)"], "patient");
    expect(m.mapping.address).toEqual([4]);
    expect(m.unsure).toEqual(["la colonne « Adresse (suite) » a été prise pour une ligne d'adresse par supposition"]);
  });

  it("does not take a GP's phone or a fax for the patient's", () => {
    const m = mapHeaders(["NOM", "DDN", "INSEE", "Tel médecin traitant", "Fax", "Portable"], "patient");
    expect(m.mapping.phones).toEqual([5]);
  });
});

describe("mapHeaders (GP roster)", () => {
  it("maps a roster and the Annuaire Santé headers", () => {
    const m = mapHeaders(["RPPS", "Nom", "Prénom", "MSP", "Code postal", "Commune", "Accepte nouveaux patients", "Capacité", "Accepte ALD", "Date fin activité", "Année de naissance", "Latitude", "Longitude"], "gp");
    expect(m.mapping).toEqual({ rpps: 0, lastName: 1, firstName: 2, team: 3, postalCode: 4, communeName: 5, acceptsNew: 6, capacity: 7, acceptsAld: 8, endOfActivity: 9, birthYear: 10, lat: 11, lng: 12 });
    expect(m.confident).toBe(true);
    const annuaire = mapHeaders(["Identification nationale PP", "Nom d'exercice", "Prénom d'exercice", "Code postal (coord. structure)", "Libellé commune (coord. structure)"], "gp");
    expect(annuaire.mapping).toEqual({ rpps: 0, lastName: 1, firstName: 2, postalCode: 3, communeName: 4 });
  });

  it("requires RPPS, name and a place", () => {
    expect(mapHeaders(["Nom"], "gp").missingRequired).toEqual([
      "numéro RPPS",
      "lieu d'exercice (code INSEE, code postal et commune, ou latitude et longitude)",
    ]);
    expect(missingRequiredFields({ rpps: 0, lastName: 1, lat: 2, lng: 3 }, "gp")).toEqual([]);
  });
});
