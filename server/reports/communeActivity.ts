// The campaign's funnel per commune of residence (INSEE code), small counts suppressed.
import type pg from "pg";
import { FUNNEL_STAGES, funnelByCommuneSql, type FunnelCounts } from "./campaignFunnel.ts";
import { suppressSmallCounts } from "./suppressSmallCounts.ts";

export async function communeActivity(client: pg.PoolClient | pg.Pool, campaignId: string) {
  const { rows } = await client.query<FunnelCounts & { inseeCode: string | null; communeName: string | null }>(
    `SELECT f.*, c."name" AS "communeName" FROM (${funnelByCommuneSql}) f LEFT JOIN "Commune" c ON c."inseeCode" = f."inseeCode"
     ORDER BY f."imported" DESC, f."inseeCode"`,
    [[campaignId]],
  );
  const stages = FUNNEL_STAGES.map((s) => s.key);
  const suppressed = suppressSmallCounts(rows, stages);
  return {
    stages: FUNNEL_STAGES,
    rows: rows.map((r, i) => ({ inseeCode: r.inseeCode, communeName: r.communeName ?? (r.inseeCode ? null : "Commune inconnue"), cells: suppressed.rows[i] })),
    totals: suppressed.totals,
  };
}
