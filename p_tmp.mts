import { readRows } from "./server/imports/parsing/readRows.ts";
import { mapHeaders } from "./server/imports/parsing/mapHeaders.ts";
import { parsePatientRow } from "./server/imports/parsing/parsePatientRow.ts";
import { resolveCommune } from "./server/geo/communes.ts";
const t0 = Date.now(); let n = 0, ok = 0, maxRss = 0, mapping;
for await (const row of readRows("/tmp/big.csv")) {
  if (!mapping) { mapping = mapHeaders(row.cells, "patient").mapping; continue; }
  n++; const r = parsePatientRow(row.cells, mapping, resolveCommune); if ("ok" in r && r.ok) ok++;
  if (n % 20000 === 0) maxRss = Math.max(maxRss, process.memoryUsage().rss);
}
console.log({ n, ok, ms: Date.now() - t0, maxRssMB: Math.round(maxRss / 1e6) });
