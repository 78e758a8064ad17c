import { describe, expect, it } from "vitest";
import { birthDateRange, parseDate } from "../../../server/imports/parsing/parseDate.ts";
import { excelSerialToIsoDate } from "../../../server/imports/parsing/excelSerial.ts";

const today = new Date("2025-06-15T10:00:00Z");
const ok = (value: string, options = {}) => {
  const r = parseDate(value, { today, ...options });
  if (!r.ok) throw new Error(r.reason);
  return r.date;
};

describe("parseDate", () => {
  it("reads the usual forms", () => {
    expect(ok("12/03/1950")).toBe("1950-03-12");
    expect(ok("12-03-1950")).toBe("1950-03-12");
    expect(ok("12.03.1950")).toBe("1950-03-12");
    expect(ok("1950-03-12")).toBe("1950-03-12");
    expect(ok("1950/03/12")).toBe("1950-03-12");
    expect(ok("19500312")).toBe("1950-03-12");
    expect(ok("12031950")).toBe("1950-03-12");
    expect(ok("12/03/1950 00:00:00")).toBe("1950-03-12");
    expect(ok("1950-03-12T00:00:00.000Z")).toBe("1950-03-12");
    expect(ok("12 mars 1950")).toBe("1950-03-12");
    expect(ok("1er févr. 1950")).toBe("1950-02-01");
  });

  it("pivots two-digit birth years so they are never in the future", () => {
    expect(ok("5/3/48")).toBe("1948-03-05");
    expect(ok("5/3/25")).toBe("2025-03-05");
    expect(ok("5/3/26")).toBe("1926-03-05");
    expect(ok("01/01/30", { twoDigitYear: "nearest" })).toBe("2030-01-01");
  });

  it("reads Excel serial numbers (1900 system, with its 29/02/1900 bug)", () => {
    expect(ok("18334")).toBe("1950-03-12");
    expect(ok("18334.5")).toBe("1950-03-12");
    expect(ok("1")).toBe("1900-01-01");
    expect(ok("59")).toBe("1900-02-28");
    expect(ok("61")).toBe("1900-03-01");
    expect(excelSerialToIsoDate(60)).toBeNull();
    expect(excelSerialToIsoDate(45658)).toBe("2025-01-01");
    expect(parseDate("60")).toEqual({ ok: false, problem: "invalid", reason: "date invalide : « 60 »" });
  });

  it("rejects impossible dates and explains in French", () => {
    expect(parseDate("31/02/1950")).toEqual({ ok: false, problem: "impossible", reason: "date inexistante : « 31/02/1950 »" });
    expect(parseDate("29/02/1951")).toMatchObject({ ok: false, problem: "impossible" });
    expect(ok("29/02/1952")).toBe("1952-02-29");
    expect(parseDate("12/13/1950")).toMatchObject({ ok: false, problem: "impossible" });
    expect(parseDate("")).toEqual({ ok: false, problem: "missing", reason: "date manquante" });
    expect(parseDate("1950")).toMatchObject({ ok: false, problem: "partial" });
    expect(parseDate("hier")).toEqual({ ok: false, problem: "invalid", reason: "date invalide : « hier » (attendu jj/mm/aaaa)" });
  });
});

describe("parseDate: a bare number in a birth date column", () => {
  const birth = { today, twoDigitYear: "past" as const, serialRange: birthDateRange(today) };
  it("is a serial only where its day can be a birth date (from 120 years back to today)", () => {
    expect(birthDateRange(today)).toEqual({ from: "1905-01-01", to: "2025-06-15" });
    expect(ok("18334", birth)).toBe("1950-03-12");
    expect(ok("18334,5", birth)).toBe("1950-03-12");
    expect(ok("45823", birth)).toBe("2025-06-15"); // today
    // six digits: 15/03/52 without its slashes, or an identifier, not the serial of 25 August 2311
    expect(parseDate("150352", birth)).toEqual({ ok: false, problem: "invalid", reason: "date invalide : « 150352 » (un nombre, qui n'est pas une date plausible ici ; attendu jj/mm/aaaa)" });
    expect(parseDate("45824", birth)).toMatchObject({ ok: false, problem: "invalid" }); // tomorrow
    expect(parseDate("12", birth)).toMatchObject({ ok: false, problem: "invalid" }); // 12 January 1900
    // the other forms are not numbers: read as before
    expect(ok("15/03/52", birth)).toBe("1952-03-15");
    expect(ok("19520315", birth)).toBe("1952-03-15");
    expect(ok("15031952", birth)).toBe("1952-03-15");
    expect(parseDate("1952", birth)).toMatchObject({ ok: false, problem: "partial" });
  });

  it("without a range, any serial Excel knows is read (an end of activity, a date in a workbook)", () => {
    expect(ok("150352")).toBe("2311-08-25");
  });
});
