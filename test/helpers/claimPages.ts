// Pages the dialer's claim reads in the queue's index (Enrolment_queue) for one claim, rolled back:
// what tests of the queue's reading cost assert, whatever the timing of the machine.
import type pg from "pg";
import { claimNextPatient } from "../../server/dialer/claimNextPatient.ts";

type Agent = { id: string; organisationId: string };
interface PlanNode { "Index Name"?: string; "Shared Hit Blocks": number; "Shared Read Blocks": number; Plans?: PlanNode[] }

/** `preparer` claims once first (it prepares "dialer-claim" on the connection, and holds what it got). */
export async function queuePagesOfAClaim(pool: pg.Pool, agent: Agent, preparer: Agent, now: Date) {
  const c = await pool.connect();
  try {
    await claimNextPatient(c, preparer, now);
    await c.query("BEGIN");
    const t = now.toISOString();
    const { rows } = await c.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE "dialer-claim"('${agent.organisationId}', '${agent.id}', '${t}', '${t}', '${t}')`);
    await c.query("ROLLBACK");
    let pages = 0;
    const walk = (n: PlanNode) => {
      if (n["Index Name"] === "Enrolment_queue") pages += n["Shared Hit Blocks"] + n["Shared Read Blocks"];
      for (const p of n.Plans ?? []) walk(p);
    };
    walk(rows[0]["QUERY PLAN"][0].Plan);
    return pages;
  } finally {
    c.release();
  }
}
