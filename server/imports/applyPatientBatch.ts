// Writes one batch of a patient listing in one transaction: patients (merged by key or name, resolvePatients), what this
// listing said (PatientSource), the campaign enrolment with eligibility, rejections, and the
// import's checkpoint. A crash loses at most the batch in flight, which is then replayed.
import type pg from "pg";
import { assessPatient, type CampaignRules, type PatientFacts } from "../eligibility/assessPatient.ts";
import type { PatientRow, Rejection } from "./types.ts";
import { recordBatchProgress, type BatchResult } from "./recordBatchProgress.ts";
import { resolvePatients, type PersonOfBatch } from "./resolvePatients.ts";
import { timeOrderedUuid } from "../timeOrderedUuid.ts";

export interface BatchContext {
  importId: string;
  organisationId: string;
  campaignId: string;
  rules: CampaignRules;
  /** The organisation's calendar date (yyyy-mm-dd), for ages. */
  today: string;
}

const COLUMNS = [
  ["matchKey", "text"], ["externalId", "text"], ["nirHash", "text"], ["birthKey", "text"], ["usageKey", "text"], ["lastName", "text"], ["birthName", "text"],
  ["firstName", "text"], ["birthDate", "date"], ["sex", "text"], ["phones", "jsonb"], ["address", "text"],
  ["postalCode", "text"], ["inseeCode", "text"], ["ald", "boolean"], ["css", "boolean"], ["hasMt", "boolean"],
  ["optOut", "boolean"], ["consentContact", "boolean"], ["relationRpps", "text"], ["relationVisits", "int"],
] as const;

/** The patient's address within their commune: given again, or kept; a new commune (the patient moved) takes the
 * listing's address even when it has none. */
const ADDRESS = ["address", "postalCode"];
/** New patients without these flags in their listing are stored without them. */
const FLAGS = ["ald", "css", "hasMt"];

// A known patient: what this listing gives (u) replaces what was known (p), what it does not give (a column the
// listing lacks, an empty cell) is kept — a later listing without an MT column does not make a patient with a GP
// callable again.
const merged = (c: string) => {
  if (ADDRESS.includes(c)) return `CASE WHEN u."inseeCode" IS DISTINCT FROM p."inseeCode" THEN u."${c}" ELSE COALESCE(u."${c}", p."${c}") END`;
  if (c === "lastName" || c === "birthDate") return `u."${c}"`; // always given
  if (c === "optOut") return `p."optOut" OR u."optOut"`; // rule 5: a listing can add an opposition, never clear one
  // the new listing's phones first, then the known ones it did not repeat
  if (c === "phones") return `u."phones" || COALESCE((
      SELECT jsonb_agg(old) FROM jsonb_array_elements(p."phones") old
      WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(u."phones") n WHERE n->>'e164' = old->>'e164')
    ), '[]'::jsonb)`;
  return `COALESCE(u."${c}", p."${c}")`;
};

/** The batch's rows as a relation u: $2 their ids, then one array per column. */
const ROWS = `ROWS FROM (unnest($2::uuid[]), ${COLUMNS.map(([, t], i) => (t === "jsonb" ? `jsonb_array_elements($${i + 3}::jsonb)` : `unnest($${i + 3}::${t}[])`)).join(", ")})
    AS u("id", ${COLUMNS.map(([c]) => `"${c}"`).join(", ")})`;
/** The patient as now stored, which eligibility is assessed on. */
const stored = (t: string) => `${t}."id", ${t}."matchKey", to_char(${t}."birthDate", 'YYYY-MM-DD') AS "birthDate", ${t}."ald", ${t}."css", ${t}."hasMt",
    ${t}."optOut", ${t}."consentContact", jsonb_array_length(${t}."phones") AS "phoneCount"`;

// Two statements rather than one upsert: ON CONFLICT checks the proposed row's NOT NULL flags before it sees the
// conflict, so "not given" could not reach the merge. New patients first; the others, already known, are merged.
const INSERT_PATIENTS = `
  INSERT INTO "Patient" ("id", "organisationId", ${COLUMNS.map(([c]) => `"${c}"`).join(", ")}, "updatedAt")
  SELECT u."id", $1::uuid, ${COLUMNS.map(([c]) => (FLAGS.includes(c) ? `COALESCE(u."${c}", false)` : `u."${c}"`)).join(", ")}, now()
  FROM ${ROWS}
  ON CONFLICT ("organisationId", "matchKey") DO NOTHING
  RETURNING ${stored(`"Patient"`)}`;

const MERGE_PATIENTS = `
  UPDATE "Patient" p SET ${COLUMNS.filter(([c]) => c !== "matchKey").map(([c]) => `"${c}" = ${merged(c)}`).join(",\n    ")}, "updatedAt" = now()
  FROM ${ROWS}
  WHERE p."organisationId" = $1::uuid AND p."matchKey" = u."matchKey"
  RETURNING ${stored("p")}`;

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
  // The same person twice in one batch: one patient (what the later row gives wins), the earlier row counted as merged.
  const { people, personOfRow } = await resolvePatients(client, ctx.organisationId, rows);
  let accepted = 0;
  let merged = rows.length - people.length;

  if (people.length) {
    const stored = await storePatients(client, ctx.organisationId, people);
    const idOf = new Map(stored.map((u) => [u.matchKey, u.id]));
    for (const u of stored) {
      if (u.inserted) accepted += 1;
      else merged += 1;
    }
    const raised = people.filter((p) => p.raiseKeyTo);
    if (raised.length) {
      // the stronger key this listing gave, unless another patient took it meanwhile
      await client.query(
        `UPDATE "Patient" p SET "matchKey" = u.k FROM unnest($2::uuid[], $3::text[]) AS u(id, k)
         WHERE p."id" = u.id AND NOT EXISTS (SELECT 1 FROM "Patient" q WHERE q."organisationId" = $1 AND q."matchKey" = u.k)`,
        [ctx.organisationId, raised.map((p) => idOf.get(p.writeKey)!), raised.map((p) => p.raiseKeyTo!)],
      );
    }

    // History: what this listing said, line by line (a duplicated line points at the same patient).
    const srcLines: number[] = [];
    const srcPatients: string[] = [];
    const srcData: string[] = [];
    for (const [i, row] of rows.entries()) {
      srcLines.push(row.line);
      srcPatients.push(idOf.get(personOfRow[i].writeKey)!);
      const { line: _line, nir: _nir, ...said } = row;
      srcData.push(JSON.stringify(said));
    }
    await client.query({ name: "import-insert-sources", text: INSERT_SOURCES, values: [ctx.importId, srcLines, srcPatients, `[${srcData.join(",")}]`] });

    // A listing that says the patient is opposed puts them on the organisation's register.
    const opposed = people.filter((p) => p.row.optOut).map((p) => idOf.get(p.writeKey)!);
    if (opposed.length) {
      await client.query(
        `INSERT INTO "Opposition" ("patientId", "organisationId", "source", "importId")
         SELECT p, $1::uuid, 'import', $2::uuid FROM unnest($3::uuid[]) AS p
         ON CONFLICT ("patientId") DO NOTHING`,
        [ctx.organisationId, ctx.importId, opposed],
      );
    }

    // Enrolment in the campaign, with eligibility and priority, of the patient as merged (the register wins over the
    // listing, a flag this listing does not give is the one known).
    const assessed = stored.map((u) => ({ patientId: u.id, ...assessPatient(u, ctx.rules, ctx.today) }));
    await client.query({
      name: "import-upsert-enrolments",
      text: UPSERT_ENROLMENTS,
      values: [ctx.campaignId, assessed.map(timeOrderedUuid), assessed.map((a) => a.patientId), assessed.map((a) => a.eligible), assessed.map((a) => a.ineligibleReason), assessed.map((a) => a.priority), assessed.map((a) => a.priorityLabel)],
    });
  }

  return recordBatchProgress(client, ctx.importId, { accepted, merged, rows: rows.length }, rejections, checkpoint);
}

type StoredPatient = PatientFacts & { id: string; matchKey: string; inserted: boolean };

/** The batch's people: the new ones inserted, the known ones merged; each as now stored, by the key written. */
async function storePatients(client: pg.PoolClient, organisationId: string, rows: PersonOfBatch[]): Promise<StoredPatient[]> {
  const stored: StoredPatient[] = [];
  let left = rows;
  // A known patient erased between the two statements is inserted on the next turn.
  for (let turn = 0; left.length && turn < 3; turn++) {
    const values = columnValues(left);
    const ids = left.map(timeOrderedUuid);
    // Named statements: planned once per connection, not once per batch (3 to 9 ms each).
    const inserted = await client.query<StoredPatient>({ name: "import-insert-patients", text: INSERT_PATIENTS, values: [organisationId, ids, ...values] });
    stored.push(...inserted.rows.map((r) => ({ ...r, inserted: true })));
    if (inserted.rows.length === left.length) return stored;
    const done = new Set(inserted.rows.map((r) => r.matchKey));
    left = left.filter((p) => !done.has(p.writeKey));
    const mergedRows = await client.query<StoredPatient>({ name: "import-merge-patients", text: MERGE_PATIENTS, values: [organisationId, left.map(timeOrderedUuid), ...columnValues(left)] });
    stored.push(...mergedRows.rows.map((r) => ({ ...r, inserted: false })));
    const known = new Set(mergedRows.rows.map((r) => r.matchKey));
    left = left.filter((p) => !known.has(p.writeKey));
  }
  if (left.length) throw new Error(`import: ${left.length} patients neither inserted nor merged`);
  return stored;
}

/** One array per column; JSON values as one JSON array per column (zipped back by ROWS FROM): a jsonb[]
 * parameter would be escaped element by element by node-postgres, quote by quote. */
function columnValues(people: PersonOfBatch[]) {
  return COLUMNS.map(([c, t]) => {
    const column = people.map((p) => {
      switch (c) {
        case "matchKey": return p.writeKey;
        case "nirHash": case "externalId": case "birthKey": case "usageKey": return p[c]; // of every row that named the person
        case "phones": return JSON.stringify(p.row.phones); // joined below into one JSON array
        default: return p.row[c];
      }
    });
    return t === "jsonb" ? `[${column.join(",")}]` : column;
  });
}
