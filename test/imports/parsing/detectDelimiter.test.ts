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
