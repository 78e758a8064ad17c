import { describe, expect, it } from "vitest";
import { detectDelimiter } from "../../../server/imports/parsing/detectDelimiter.ts";

describe("detectDelimiter", () => {
  it("finds ; , tab and |", () => {
    expect(detectDelimiter("NOM;PRENOM;DDN\r\nA;B;C\r\n")).toEqual({ delimiter: ";", confident: true });
    expect(detectDelimiter("nom,prenom,ddn\nA,B,C\n")).toEqual({ delimiter: ",", confident: true });
    expect(detectDelimiter("nom\tprenom\tddn\nA\tB\tC\n")).toEqual({ delimiter: "\t", confident: true });
    expect(detectDelimiter("nom|prenom|ddn\nA|B|C\n")).toEqual({ delimiter: "|", confident: true });
  });

  it("ignores delimiters inside quotes, line breaks included", () => {
    const text = 'nom,adresse,ville\n"DUPONT","1; rue A\n2; bât B","LYON"\n"MARTIN","3; rue C","PARIS"\n';
    expect(detectDelimiter(text)).toEqual({ delimiter: ",", confident: true });
  });

  it("lets commas in a semicolon file stay commas", () => {
    const text = "NOM;ADRESSE;VILLE\r\nDUPONT;1, rue A;LYON\r\nMARTIN;3, rue C, bât. 2;PARIS\r\n";
    expect(detectDelimiter(text).delimiter).toBe(";");
  });

  it("skips a title line without delimiter", () => {
    expect(detectDelimiter("Extraction du 02/03/2025\r\nNOM;PRENOM\r\nA;B\r\n")).toEqual({ delimiter: ";", confident: true });
  });

  it("is not confident on a single column or an empty text", () => {
    expect(detectDelimiter("NOM\r\nDUPONT\r\n")).toEqual({ delimiter: ";", confident: false });
    expect(detectDelimiter("")).toEqual({ delimiter: ";", confident: false });
  });

  it("is not confident when two delimiters split every line alike", () => {
    expect(detectDelimiter("a;b,c\nd;e,f\n").confident).toBe(false);
  });
});

describe("detectDelimiter: a title with delimiters of its own above the header", () => {
  it("compares the rows with the header, not with the title", () => {
    const rows = "NOM;PRENOM;DDN;TEL;INSEE;ALD;CSS\r\n" + "DUPONT;Marie;12/12/1950;06 12 34 56 78;01053;O;N\r\n".repeat(3);
    expect(detectDelimiter(`Département;69;Extraction;01/12/2026\r\n${rows}`)).toEqual({ delimiter: ";", confident: true });
    expect(detectDelimiter(`Extraction du 01/12/2026, Rhône\r\n\r\n${rows}`)).toEqual({ delimiter: ";", confident: true });
    const commas = "nom,prenom,ddn\nDUPONT,Marie,12/12/1950\nMARTIN,Paul,01/01/1940\n";
    expect(detectDelimiter(`Patients ALD; Rhône\n${commas}`)).toEqual({ delimiter: ",", confident: true });
  });

  it("rows that leave trailing columns out still split with the header's delimiter", () => {
    expect(detectDelimiter("NOM;PRENOM;DDN;TEL\r\nA;B\r\nC;D\r\nE;F;G;H\r\n")).toMatchObject({ delimiter: ";" });
  });
});
