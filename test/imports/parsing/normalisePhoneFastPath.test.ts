// The fast path of normalisePhones (France's fixed and mobile rules compiled once) answers
// exactly what libphonenumber answers, on every national prefix and in every usual spelling.
import { describe, expect, it } from "vitest";
import { normalisePhones } from "../../../server/imports/parsing/normalisePhone.ts";
import { rng } from "../../../server/seed/demoListing.ts";

const rand = rng(20261201);
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join("");
const pairs = (national: string) => national.match(/\d\d/g)!;
const spellings = (national: string): string[] => {
  const nsn = national.slice(1);
  return [
    national,
    pairs(national).join(" "),
    pairs(national).join("."),
    `+33 ${nsn[0]} ${pairs(nsn.slice(1)).join(" ")}`,
    `+33${nsn}`,
    `+33 (0)${nsn}`,
    `0033 ${nsn}`,
    `33${nsn}`,
    nsn,
    `${national.slice(0, 4)} ${pairs(national.slice(4)).join(" ")}`,
    ` ${pairs(national).join(" ")} `,
    `${pairs(national).join(" ")} / 04 77 12 34 56`,
  ];
};

describe("normalisePhones fast path", () => {
  it("agrees with libphonenumber on every two-digit prefix after 0[1-9], in every spelling", () => {
    let checked = 0;
    for (let a = 1; a <= 9; a++) {
      for (let b = 0; b <= 99; b++) {
        for (let k = 0; k < 12; k++) {
          const national = `0${a}${String(b).padStart(2, "0")}${digits(6)}`;
          for (const cell of spellings(national)) {
            const fast = normalisePhones(cell);
            const reference = normalisePhones(cell, false);
            if (JSON.stringify(fast) !== JSON.stringify(reference)) expect({ cell, fast }).toEqual({ cell, fast: reference });
            checked += 1;
          }
        }
      }
    }
    expect(checked).toBe(9 * 100 * 12 * 12);
  });

  it("routes the overseas prefixes as before and agrees on random and malformed cells", () => {
    const cells: string[] = [];
    for (const prefix of ["0262", "0263", "0692", "0693", "0269", "0639", "0590", "0690", "0691", "0596", "0696", "0697", "0594", "0694", "0508"]) {
      for (let k = 0; k < 200; k++) cells.push(...spellings(`${prefix}${digits(6)}`));
    }
    for (let k = 0; k < 20_000; k++) {
      const n = 1 + Math.floor(rand() * 13);
      const sep = [" ", ".", "", "-", "  "][Math.floor(rand() * 5)];
      cells.push((rand() < 0.5 ? "0" : rand() < 0.5 ? "+33 " : "") + (digits(n).match(/\d{1,2}/g) ?? []).join(sep));
    }
    cells.push("0", "00", "06 12 34", "06 12 34 56 78 9", "+33 06 12 34 56 78", "06 12 34 56 78 ou 01 23 45 67 89", "0612345678 0123456789");
    const diverging = cells.filter((cell) => JSON.stringify(normalisePhones(cell)) !== JSON.stringify(normalisePhones(cell, false)));
    expect(diverging).toEqual([]);
    const overseas = normalisePhones("0692 12 34 56").phones[0];
    expect(overseas).toMatchObject({ e164: "+262692123456", country: "RE" });
    expect(normalisePhones("0696 12 34 56").phones[0]).toMatchObject({ e164: "+596696123456", country: "MQ" });
    expect(normalisePhones("0590 12 34 56").phones[0]?.e164).toBe("+590590123456");
    expect(normalisePhones("0594 12 34 56").phones[0]).toMatchObject({ country: "GF" });
    expect(normalisePhones("0269 61 23 45").phones[0]).toMatchObject({ country: "YT" });
  });
});
