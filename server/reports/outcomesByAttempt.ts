// Outcomes by attempt number (1st call, 2nd call…): where retries stop paying off.
import type pg from "pg";
import { OUTCOME_LABELS, type Outcome } from "../dialer/callingRules.ts";

export async function outcomesByAttempt(client: pg.PoolClient | pg.Pool, campaignId: string) {
  const { rows } = await client.query<{ attemptNumber: number; outcome: string; n: number }>(
    `SELECT "attemptNumber", "outcome", count(*)::int AS n FROM "CallAttempt"
     WHERE "campaignId" = $1 AND "outcome" IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
    [campaignId],
  );
  const outcomes = [...new Set(rows.map((r) => r.outcome))].sort((a, b) => rows.filter((r) => r.outcome === b).reduce((s, r) => s + r.n, 0) - rows.filter((r) => r.outcome === a).reduce((s, r) => s + r.n, 0));
  const numbers = [...new Set(rows.map((r) => r.attemptNumber))];
  return {
    outcomes: outcomes.map((o) => ({ outcome: o, label: OUTCOME_LABELS[o as Outcome] ?? o })),
    rows: numbers.map((attemptNumber) => {
      const mine = rows.filter((r) => r.attemptNumber === attemptNumber);
      return { attemptNumber, total: mine.reduce((s, r) => s + r.n, 0), counts: Object.fromEntries(outcomes.map((o) => [o, mine.find((r) => r.outcome === o)?.n ?? 0])) as Record<string, number> };
    }),
  };
}
