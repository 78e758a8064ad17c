import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { detectEncoding } from "../../../server/imports/parsing/detectEncoding.ts";

describe("detectEncoding", () => {
  it("trusts a UTF-8 BOM", () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x41]))).toEqual({ encoding: "utf-8", confident: true });
  });

  it("recognises UTF-16 BOMs (Excel 'Texte Unicode')", () => {
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x41, 0]))).toEqual({ encoding: "utf-16le", confident: true });
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0, 0x41]))).toEqual({ encoding: "utf-16be", confident: true });
  });

  it("says UTF-8 for valid UTF-8 without BOM", () => {
    expect(detectEncoding(Buffer.from("NOM;PRÉNOM\r\nCŒUR;Lœtitia ’\r\n", "utf8"))).toEqual({ encoding: "utf-8", confident: true });
  });

  it("says Windows-1252 when the bytes are not UTF-8, and iconv-lite keeps Œ œ ’", () => {
    const bytes = iconv.encode("NOM;PRÉNOM\r\nCŒUR;Lœtitia ’\r\n", "windows-1252");
    expect(detectEncoding(bytes)).toEqual({ encoding: "windows-1252", confident: true });
    expect(iconv.decode(bytes, "windows-1252")).toBe("NOM;PRÉNOM\r\nCŒUR;Lœtitia ’\r\n");
  });

  it("is not confident about pure ASCII", () => {
    expect(detectEncoding(Buffer.from("NOM;PRENOM\r\n"))).toEqual({ encoding: "utf-8", confident: false });
  });

  it("accepts a UTF-8 sequence cut by the end of the sample once UTF-8 was seen", () => {
    const bytes = Buffer.from("é;ü;€", "utf8");
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1))).toEqual({ encoding: "utf-8", confident: true });
  });

  it("is not confident when bytes undefined in Windows-1252 appear", () => {
    expect(detectEncoding(Buffer.from([0x41, 0x81, 0x42]))).toEqual({ encoding: "windows-1252", confident: false });
  });
});
