import { describe, expect, it } from "vitest";
import type { CommuneResolver } from "../../../server/imports/parsing/commune.ts";
import { mapHeaders } from "../../../server/imports/parsing/mapHeaders.ts";
import { parseGpRow, type GpRowResult } from "../../../server/imports/parsing/parseGpRow.ts";
import { resolveCommune } from "../../../server/geo/communes.ts";

const today = new Date("2025-06-15T10:00:00Z");
const headers = ["RPPS", "Nom", "Prénom", "MSP", "Code postal", "Commune", "Accepte nouveaux patients", "Capacité", "Accepte ALD", "Date fin activité", "Année de naissance", "Latitude", "Longitude"];
const { mapping } = mapHeaders(headers, "gp");
const parse = (cells: string[], resolver: CommuneResolver = resolveCommune) => parseGpRow(cells, mapping, resolver, { today });
const gp = (r: GpRowResult) => {
  if (!("ok" in r) || !r.ok) throw new Error(JSON.stringify(r));
  return r.gp;
};

describe("parseGpRow", () => {
  it("reads a full roster row", () => {
    expect(gp(parse(["10000000017", "MARTIN", "Claire", "MSP des Halles", "01000", "Bourg-en-Bresse", "Oui", "12", "O", "31/12/2027", "1962", "", ""]))).toEqual({
      rpps: "10000000017", lastName: "MARTIN", firstName: "Claire", address: null, postalCode: "01000", communeName: "Bourg-en-Bresse",
      inseeCode: "01053", lat: null, lng: null, team: "MSP des Halles", acceptsNew: true, capacity: 12, acceptsAld: true,
      endOfActivity: "2027-12-31", birthYear: 1962, email: null, warnings: [],
    });
  });

  it("keeps a valid e-mail (lower-cased) for the GP's links and reports an invalid one", () => {
    const { mapping: withMail } = mapHeaders([...headers, "Courriel"], "gp");
    const row = (mail: string) => parseGpRow(["10000000017", "MARTIN", "Claire", "", "01000", "Bourg-en-Bresse", "Oui", "2", "O", "", "", "", "", mail], withMail, resolveCommune, { today });
    expect(gp(row(" Dr.Martin@MSSante.fr "))).toMatchObject({ email: "dr.martin@mssante.fr", warnings: [] });
    expect(gp(row("martin at mssante"))).toMatchObject({ email: null, warnings: ["adresse e-mail invalide : « martin at mssante » : ignorée"] });
  });

  it("derives acceptance from capacity and defaults ALD to yes; a blank capacity is not stated, not 0", () => {
    const r = gp(parse(["10000000025", "DURAND", "", "", "01000", "Bourg-en-Bresse", "", "3", "", "", "", "", ""]));
    expect(r).toMatchObject({ acceptsNew: true, capacity: 3, acceptsAld: true, firstName: null, team: null });
    expect(gp(parse(["10000000025", "DURAND", "", "", "01000", "Bourg-en-Bresse", "", "", "", "", "", "", ""]))).toMatchObject({ acceptsNew: null, capacity: null });
    expect(gp(parse(["10000000025", "DURAND", "", "", "01000", "Bourg-en-Bresse", "Oui", "", "", "", "", "", ""]))).toMatchObject({ acceptsNew: true, capacity: null });
  });

  it("says when the activity has ended, and keeps the row", () => {
    expect(gp(parse(["10000000025", "DURAND", "", "", "01000", "Bourg-en-Bresse", "O", "2", "O", "14/06/2025", "", "", ""]))).toMatchObject({
      endOfActivity: "2025-06-14", warnings: ["activité terminée le 14/06/2025 : médecin gardé dans l'annuaire, jamais proposé"],
    });
    expect(gp(parse(["10000000025", "DURAND", "", "", "01000", "Bourg-en-Bresse", "O", "2", "O", "15/06/2025", "", "", ""])).warnings).toEqual([]);
  });

  it("reads two-digit end-of-activity years forward", () => {
    expect(gp(parse(["10000000025", "DURAND", "", "", "01000", "Bourg-en-Bresse", "N", "0", "N", "30/06/27", "", "", ""])).endOfActivity).toBe("2027-06-30");
  });

  it("places a GP by coordinates when the commune is missing or unknown", () => {
    const r = gp(parse(["10000000025", "DURAND", "", "", "", "", "O", "2", "O", "", "", "46,2057", "5,2258"]));
    expect(r).toMatchObject({ inseeCode: null, lat: 46.2057, lng: 5.2258 });
    const unknown = gp(parse(["10000000025", "DURAND", "", "", "01000", "Atlantide", "O", "2", "O", "", "", "46.2", "5.2"]));
    expect(unknown.warnings[0]).toMatch(/^commune introuvable : « Atlantide ».* : commune ignorée, coordonnées GPS utilisées$/);
  });

  it("checks the coordinates: swapped ones put back, ones outside France or far from the commune left out, each said", () => {
    const at = (lat: string, lng: string, cp = "", commune = "") => gp(parse(["10000000025", "DURAND", "", "", cp, commune, "O", "2", "O", "", "", lat, lng]));
    expect(at("5,2258", "46,2057")).toMatchObject({ lat: 46.2057, lng: 5.2258, warnings: ["coordonnées GPS inversées (5,2258 ; 46,2057) : latitude et longitude remises dans l'ordre"] });
    expect(at("-21.115", "55.536")).toMatchObject({ lat: -21.115, lng: 55.536, warnings: [] }); // La Réunion
    expect(parse(["10000000025", "DURAND", "", "", "", "", "O", "2", "O", "", "", "40.71", "-74.0"])).toEqual({
      ok: false, reason: "lieu d'exercice manquant (code INSEE, code postal et commune, ou coordonnées GPS)",
    });
    expect(at("40.71", "-74.0", "01000", "Bourg-en-Bresse")).toMatchObject({ inseeCode: "01053", lat: null, warnings: ["coordonnées GPS hors de France (40.71 ; -74.0) : ignorées"] });
    expect(at("43.2965", "5.3698", "01000", "Bourg-en-Bresse")).toMatchObject({ inseeCode: "01053", lat: null, lng: null, warnings: [expect.stringMatching(/^coordonnées GPS à 3\d\d km de Bourg-en-Bresse : ignorées, point de la commune retenu$/)] });
    expect(at("46.21", "5.23", "01000", "Bourg-en-Bresse")).toMatchObject({ lat: 46.21, lng: 5.23, warnings: [] });
  });

  it("refuses what cannot be a GP's row: a capacity above 1,000, a name of more than 100 characters", () => {
    expect(parse(["10000000017", "DURAND", "", "", "01000", "Bourg-en-Bresse", "O", "99999"])).toEqual({ ok: false, reason: "capacité improbable : « 99999 » (1 000 nouveaux patients au plus)" });
    expect(gp(parse(["10000000017", "DURAND", "", "", "01000", "Bourg-en-Bresse", "O", "1 000"])).capacity).toBe(1000);
    expect(parse(["10000000017", "D".repeat(12_000), "", "", "01000", "Bourg-en-Bresse"])).toEqual({ ok: false, reason: "nom ou prénom trop long (100 caractères au plus)" });
  });

  it("reads capacities written in words, and keeps a GP whose capacity is not a number, with the number not stated", () => {
    const capacity = (cell: string) => parse(["10000000017", "DURAND", "", "", "01000", "Bourg-en-Bresse", "", cell]);
    expect(gp(capacity("5 places"))).toMatchObject({ capacity: 5, acceptsNew: true, warnings: [] });
    expect(gp(capacity("12 patients"))).toMatchObject({ capacity: 12, acceptsNew: true });
    expect(gp(capacity("Complet"))).toMatchObject({ capacity: 0, acceptsNew: false, warnings: [] });
    expect(gp(capacity("aucune"))).toMatchObject({ capacity: 0, acceptsNew: false });
    expect(gp(capacity("illimité"))).toMatchObject({ capacity: null, acceptsNew: null, warnings: ["capacité non chiffrée : « illimité » : à préciser"] });
  });

  it("rejects with French reasons", () => {
    expect(parse(["10000000018", "DURAND", "", "", "01000", "Bourg-en-Bresse"])).toEqual({ ok: false, reason: "RPPS invalide : « 10000000018 » (clé de contrôle incorrecte)" });
    expect(parse(["10000000017", "", "", "", "01000", "Bourg-en-Bresse"])).toEqual({ ok: false, reason: "nom manquant" });
    expect(parse(["", "", "", "MSP des Halles", "01000", "Bourg-en-Bresse", "Oui", "20"])).toEqual({
      ok: false, reason: "ligne d'équipe sans médecin (« MSP des Halles ») : l'annuaire n'importe que des médecins (RPPS) ; la capacité de l'équipe se déclare par son lien capacité",
    });
    expect(parse(["10000000017", "DURAND", "", "", "", ""])).toEqual({
      ok: false,
      reason: "lieu d'exercice manquant (code INSEE, code postal et commune, ou coordonnées GPS)",
    });
  });

  it("skips blank rows and footers", () => {
    expect(parse(["", "", ""])).toEqual({ skip: "empty" });
    expect(parse(["Total", "42"])).toEqual({ skip: "footer" });
  });
});
