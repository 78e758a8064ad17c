import { readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { readRows } from "./server/imports/parsing/readRows.ts";
process.on("uncaughtException", (e) => { console.log("UNCAUGHT", e.message); });
process.on("unhandledRejection", (e) => { console.log("UNHANDLED", String(e)); });
const bytes = readFileSync("/tmp/orig.xlsx");
let seed = 7; const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const results: Record<string, number> = {};
const t0 = Date.now();
for (let i = 0; i < 3000; i++) {
  let b: Buffer;
  if (i % 3 === 0) b = bytes.subarray(0, Math.floor(rnd() * bytes.length));
  else { b = Buffer.from(bytes); for (let k = 0; k < 1 + Math.floor(rnd() * (i % 3 === 1 ? 2 : 20)); k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256); }
  const watchdog = setTimeout(() => { console.log("HANG at", i); require("fs").writeFileSync("/tmp/hang2.xlsx", b); process.exit(1); }, 10000);
  let err = "";
  try { for await (const r of readRows(Readable.from([b]))) { if (r.error) err = r.error.slice(0, 70); } } catch (e) { err = "THROW " + (e as Error).message; }
  clearTimeout(watchdog);
  const key = err.startsWith("THROW") ? err : err ? err.replace(/«.*/, "") : "ok";
  results[key] = (results[key] ?? 0) + 1;
}
console.log(results, Date.now() - t0, "ms");
