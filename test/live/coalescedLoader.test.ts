// The supervision board's loader: one load at a time per organisation, callers coalesced, data read after each request.
import { describe, expect, it } from "vitest";
import { coalescedLoader } from "../../server/live/coalescedLoader.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function counting(ms: number) {
  const started: number[] = [];
  let running = 0;
  let maxRunning = 0;
  const load = async (key: string) => {
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    const n = started.push(Date.now());
    await sleep(ms);
    running -= 1;
    return `${key}#${n}`;
  };
  return { load, started, maxRunning: () => maxRunning };
}

describe("coalescedLoader", () => {
  it("runs one load at a time per key; callers arriving meanwhile share the next one, started after", async () => {
    const c = counting(300);
    const board = coalescedLoader(c.load, 10_000);
    const first = board("org-a");
    await sleep(5);
    const during = await Promise.all(Array.from({ length: 10 }, () => board("org-a")));
    expect(await first).toBe("org-a#1");
    expect(new Set(during)).toEqual(new Set(["org-a#2"])); // not #1: it had started before their request
    expect(c.started).toHaveLength(2);
    expect(c.maxRunning()).toBe(1);
    expect(await board("org-b")).toBe("org-b#3"); // another organisation has its own
  });

  it("reuses an expensive result for twice the time it took, never a cheap one", async () => {
    const cheap = counting(5);
    const small = coalescedLoader(cheap.load, 200);
    await small("cpts");
    await small("cpts");
    expect(cheap.started).toHaveLength(2);

    const slow = counting(300);
    const national = coalescedLoader(slow.load, 50);
    expect(await national("cpam")).toBe("cpam#1");
    expect(await national("cpam")).toBe("cpam#1"); // within 2 × 300 ms
    await sleep(650);
    expect(await national("cpam")).toBe("cpam#2");
  });

  it("a failed load is not kept: the next caller loads again", async () => {
    let calls = 0;
    const flaky = coalescedLoader(async () => {
      calls += 1;
      if (calls === 1) throw new Error("base indisponible");
      return "ok";
    });
    await expect(flaky("org")).rejects.toThrow("base indisponible");
    expect(await flaky("org")).toBe("ok");
  });
});
