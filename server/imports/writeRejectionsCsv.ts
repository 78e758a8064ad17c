import type { Writable } from "node:stream";
import type { Db } from "../db.ts";
import { endCsv, frenchCsv, writeRecord } from "./frenchCsv.ts";

const PAGE = 5000;

/** The rejected rows with their original columns and the reason, to send back to the fund. */
export async function writeRejectionsCsv(prisma: Db, importId: string, out: Writable) {
  const imp = await prisma.import.findUniqueOrThrow({ where: { id: importId } });
  const headers = ((imp.preview as { headers?: string[] } | null)?.headers ?? []).map((h, i) => h || `colonne ${i + 1}`);
  const csv = frenchCsv(out, ["Ligne", ...headers, "Motif du rejet"]);
  let after = 0;
  for (;;) {
    const page = await prisma.importRejection.findMany({ where: { importId, line: { gt: after } }, orderBy: { line: "asc" }, take: PAGE });
    for (const r of page) {
      const cells = headers.length ? headers.map((_, i) => r.cells[i] ?? "") : r.cells;
      await writeRecord(csv, [r.line, ...cells, r.reason]);
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1].line;
  }
  await endCsv(csv);
}
