// Writes one batch of a patient listing in one transaction: patients (merged by key), what this
// listing said (PatientSource), the campaign enrolment with eligibility, rejections, and the
// import's checkpoint. A crash loses at most the batch in flight, which is then replayed.
import { createHmac } from "node:crypto";
import type pg from "pg";
import { env } from "../env.ts";
import { assessPatient, type CampaignRules } from "../eligibility/assessPatient.ts";
import type { PatientRow, Rejection } from "./types.ts";
import { recordBatchProgress, type BatchResult } from "./recordBatchProgress.ts";
import { personKey } from "./parsing/normaliseName.ts";
import { timeOrderedUuid } from "../timeOrderedUuid.ts";

export function nirHash(nir: string): string {
  return createHmac("sha256", env().SESSION_SECRET).update(`nir:${nir}`).digest("base64url");
}

/** The identity fields the merge key is made of. */
export type PatientIdentity = Pick<PatientRow, "nir" | "externalId" | "lastName" | "birthName" | "firstName" | "birthDate">;

/** The key under which listings merge a person: NIR (keyed hash), else the fund identifier, else folded name + birth date. */
export function matchKeyOf(row: PatientIdentity): string {
  if (row.nir) return `nir:${nirHash(row.nir)}`;
  if (row.externalId) return `ext:${row.externalId}`;
  return `pk:${personKey(row.birthName ?? row.lastName, row.firstName ?? "", row.birthDate)}`;
}

export interface BatchContext {
  importId: string;
  organisationId: string;
  campaignId: string;
  rules: CampaignRules;
  /** The organisation's calendar date (yyyy-mm-dd), for ages. */
  today: string;
}

const COLUMNS = [
  ["matchKey", "text"], ["externalId", "text"], ["nirHash", "text"], ["lastName", "text"], ["birthName", "text"],
  ["firstName", "text"], ["birthDate", "date"], ["sex", "text"], ["phones", "jsonb"], ["address", "text"],
  ["postalCode", "text"], ["inseeCode", "text"], ["ald", "boolean"], ["css", "boolean"], ["hasMt", "boolean"],
  ["optOut", "boolean"], ["consentContact", "boolean"], ["relationRpps", "text"], ["relationVisits", "int"],
] as const;

const UPSERT_PATIENTS = `
  INSERT INTO "Patient" ("id", "organisationId", ${COLUMNS.map(([c]) => `"${c}"`).join(", ")}, "updatedAt")
  SELECT u."id", $1::uuid, ${COLUMNS.map(([c]) => `u."${c}"`).join(", ")}, now()
  FROM ROWS FROM (unnest($2::uuid[]), ${COLUMNS.map(([, t], i) => (t === "jsonb" ? `jsonb_array_elements($${i + 3}::jsonb)` : `unnest($${i + 3}::${t}[])`)).join(", ")})
    AS u("id", ${COLUMNS.map(([c]) => `"${c}"`).join(", ")})
  ON CONFLICT ("organisationId", "matchKey") DO UPDATE SET
    ${COLUMNS.filter(([c]) => c !== "matchKey" && c !== "phones" && c !== "consentContact" && c !== "relationRpps" && c !== "relationVisits" && c !== "externalId" && c !== "nirHash" && c !== "optOut")
      .map(([c]) => `"${c}" = EXCLUDED."${c}"`).join(",\n    ")},
    -- rule 5: a listing can add an opposition, never clear one
    "optOut" = "Patient"."optOut" OR EXCLUDED."optOut",
    "externalId" = COALESCE(EXCLUDED."externalId", "Patient"."externalId"),
    "nirHash" = COALESCE(EXCLUDED."nirHash", "Patient"."nirHash"),
    "consentContact" = COALESCE(EXCLUDED."consentContact", "Patient"."consentContact"),
    "relationRpps" = COALESCE(EXCLUDED."relationRpps", "Patient"."relationRpps"),
    "relationVisits" = COALESCE(EXCLUDED."relationVisits", "Patient"."relationVisits"),
    -- the new listing's phones first, then the known ones it did not repeat
    "phones" = EXCLUDED."phones" || COALESCE((
      SELECT jsonb_agg(old) FROM jsonb_array_elements("Patient"."phones") old
      WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(EXCLUDED."phones") n WHERE n->>'e164' = old->>'e164')
    ), '[]'::jsonb),
    "updatedAt" = now()
  RETURNING "id", "matchKey", "optOut", (xmax = 0) AS inserted`;

const INSERT_SOURCES = `
  INSERT INTO "PatientSource" ("importId", "line", "patientId", "data")
  SELECT $1::uuid, l, p, d FROM ROWS FROM (unnest($2::int[]), unnest($3::uuid[]), jsonb_array_elements($4::jsonb)) AS u(l, p, d)
  ON CONFLICT DO NOTHING`;

const UPSERT_ENROLMENTS = `
  INSERT INTO "Enrolment" ("id", "campaignId", "patientId", "eligible", "ineligibleReason", "priority", "priorityLabel", "updatedAt")
  SELECT id, $1::uuid, p, e, r, pr, l, now() FROM unnest($2::uuid[], $3::uuid[], $4::boolean[], $5::text[], $6::int[], $7::text[]) AS u(id, p, e, r, pr, l)
  ON CONFLICT ("campaignId", "patientId") DO UPDATE SET "eligible" = EXCLUDED."eligible", "ineligibleReason" = EXCLUDED."ineligibleReason",
    "priority" = EXCLUDED."priority", "priorityLabel" = EXCLUDED."priorityLabel", "updatedAt" = now()`;

export async function applyPatientBatch(client: pg.PoolClient, ctx: BatchContext, rows: PatientRow[], rejections: Rejection[], checkpoint: { lastLine: number; skipped: number }): Promise<BatchResult> {
  // The same person twice in one batch: the later row wins, the earlier counts as merged into it.
  const keys = rows.map(matchKeyOf);
  const byKey = new Map<string, PatientRow>();
  rows.forEach((row, i) => byKey.set(keys[i], row));
  const unique = [...byKey.entries()];
  let accepted = 0;
  let merged = rows.length - unique.length;

  if (unique.length) {
    // JSON values travel as one JSON array per column (zipped back by ROWS FROM): a jsonb[]
    // parameter would be escaped element by element by node-postgres, quote by quote.
    const values = COLUMNS.map(([c, t]) => {
      const column = unique.map(([key, r]) => {
        switch (c) {
          case "matchKey": return key;
          case "nirHash": return r.nir ? key.slice(4) : null; // matchKeyOf: "nir:" + nirHash(nir) whenever there is a NIR
          case "phones": return JSON.stringify(r.phones); // joined below into one JSON array
          default: return r[c];
        }
      });
      return t === "jsonb" ? `[${column.join(",")}]` : column;
    });
    // Named statements: planned once per connection, not once per batch (3 to 9 ms each).
    const { rows: upserted } = await client.query<{ id: string; matchKey: string; optOut: boolean; inserted: boolean }>({ name: "import-upsert-patients", text: UPSERT_PATIENTS, values: [ctx.organisationId, unique.map(timeOrderedUuid), ...values] });
    const idOf = new Map(upserted.map((u) => [u.matchKey, u.id]));
    const optOutOf = new Map(upserted.map((u) => [u.matchKey, u.optOut]));
    for (const u of upserted) {
      if (u.inserted) accepted += 1;
      else merged += 1;
    }

    // History: what this listing said, line by line (a duplicated line points at the same patient).
    const srcLines: number[] = [];
    const srcPatients: string[] = [];
    const srcData: string[] = [];
    for (const [i, row] of rows.entries()) {
      srcLines.push(row.line);
      srcPatients.push(idOf.get(keys[i])!);
      const { line: _line, nir: _nir, ...said } = row;
      srcData.push(JSON.stringify(said));
    }
    await client.query({ name: "import-insert-sources", text: INSERT_SOURCES, values: [ctx.importId, srcLines, srcPatients, `[${srcData.join(",")}]`] });

    // A listing that says the patient is opposed puts them on the organisation's register.
    const opposed = unique.filter(([, r]) => r.optOut).map(([key]) => idOf.get(key)!);
    if (opposed.length) {
      await client.query(
        `INSERT INTO "Opposition" ("patientId", "organisationId", "source", "importId")
         SELECT p, $1::uuid, 'import', $2::uuid FROM unnest($3::uuid[]) AS p
         ON CONFLICT ("patientId") DO NOTHING`,
        [ctx.organisationId, ctx.importId, opposed],
      );
    }

    // Enrolment in the campaign, with eligibility and priority (opposed as merged: the register wins over the listing).
    const assessed = unique.map(([key, r]) => ({
      patientId: idOf.get(key)!,
      ...assessPatient({ ...r, optOut: optOutOf.get(key)!, phoneCount: r.phones.length }, ctx.rules, ctx.today),
    }));
    await client.query({
      name: "import-upsert-enrolments",
      text: UPSERT_ENROLMENTS,
      values: [ctx.campaignId, assessed.map(timeOrderedUuid), assessed.map((a) => a.patientId), assessed.map((a) => a.eligible), assessed.map((a) => a.ineligibleReason), assessed.map((a) => a.priority), assessed.map((a) => a.priorityLabel)],
    });
  }

  return recordBatchProgress(client, ctx.importId, { accepted, merged, rows: rows.length }, rejections, checkpoint);
}
