// A patient's current consent per purpose: the latest record for that purpose (records are append-only).
import type pg from "pg";
import type { ConsentPurpose } from "./defaultScript.ts";

export interface CurrentConsent {
  id: string;
  purpose: ConsentPurpose;
  granted: boolean;
  channel: "phone" | "letter" | "online";
  at: Date;
  recordedByLabel: string;
  scriptVersion: number | null;
}

/** The same in SQL, for one purpose: true when the patient's latest record for it grants it (false without any). */
export const grantedNowSql = (patient: string, purpose: ConsentPurpose) =>
  `COALESCE((SELECT k."granted" FROM "Consent" k WHERE k."patientId" = ${patient} AND k."purpose" = '${purpose}' ORDER BY k."at" DESC, k."id" LIMIT 1), false)`;

export async function currentConsents(client: pg.PoolClient | pg.Pool, patientId: string): Promise<Partial<Record<ConsentPurpose, CurrentConsent>>> {
  const { rows } = await client.query<CurrentConsent>(
    `SELECT DISTINCT ON (c."purpose") c."id", c."purpose", c."granted", c."channel", c."at", c."recordedByLabel", s."version" AS "scriptVersion"
     FROM "Consent" c LEFT JOIN "ScriptVersion" s ON s."id" = c."scriptVersionId"
     WHERE c."patientId" = $1 ORDER BY c."purpose", c."at" DESC, c."id"`,
    [patientId],
  );
  return Object.fromEntries(rows.map((r) => [r.purpose, r]));
}

export async function hasConsent(client: pg.PoolClient | pg.Pool, patientId: string, purpose: ConsentPurpose): Promise<boolean> {
  return (await currentConsents(client, patientId))[purpose]?.granted === true;
}
