// One row per fault: what was injected, what was checked (with the measured figures), and the result.
import { appendFileSync } from "node:fs";
import { inject } from "vitest";

export interface FaultRow {
  injected: string;
  checked: string;
  result: "ok" | "FAILED";
}

/** Records a row; call it after the assertions so "ok" means they passed. */
export function recordFault(injected: string, checked: string, result: FaultRow["result"] = "ok") {
  appendFileSync(inject("cluster").reportFile, `${JSON.stringify({ injected, checked, result })}\n`);
}

export function formatTable(rows: FaultRow[]): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  return ["| injected | checked | result |", "|---|---|---|", ...rows.map((r) => `| ${esc(r.injected)} | ${esc(r.checked)} | ${r.result} |`)].join("\n");
}
