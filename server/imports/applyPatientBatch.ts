// Writes one batch of a patient listing in one transaction: patients (merged by key or name, resolvePatients), what this
// listing said (PatientSource), the campaign enrolment with eligibility, rejections, and the
// import's checkpoint. A crash loses at most the batch in flight, which is then replayed.
import type pg from "pg";
import { assessPatient, type CampaignRules, type PatientFacts } from "../eligibility/assessPatient.ts";
import { reassessEnrolments } from "../eligibility/reassessEnrolments.ts";
import type { PatientRow, Rejection } from "./types.ts";
import { recordBatchProgress, remarksOf, type BatchResult } from "./recordBatchProgress.ts";
import { keptSpellings, resolvePatients, type PersonOfBatch } from "./resolvePatients.ts";
import { timeOrderedUuid } from "../timeOrderedUuid.ts";

export interface BatchContext {
  importId: string;
  organisationId: string;
  campaignId: string;
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
/** Flags a listing may not give (columnValues). */
const FLAGS = ["ald", "css", "hasMt"];

// A known patient: what this listing gives (EXCLUDED) replaces what was known, what it does not give (a column the
// listing lacks, an empty cell) is kept — a later listing without an MT column does not make a patient with a GP
// callable again. The flags not given come with the known patient's (resolvePatients): ON CONFLICT checks the
// proposed row's NOT NULL columns before it finds the conflict, so a null flag cannot reach this merge. The names and
// the address come already merged with the known patient's (keptSpellings: a spelling of the same keeps the richer, a
// row without a usage name keeps the name in use); the history (PatientSource) keeps what each listing wrote.
const merged = (c: string) => {
  if (ADDRESS.includes(c)) return `CASE WHEN EXCLUDED."inseeCode" IS DISTINCT FROM "Patient"."inseeCode" THEN EXCLUDED."${c}" ELSE COALESCE(EXCLUDED."${c}", "Patient"."${c}") END`;
  if (c === "lastName" || c === "birthDate" || FLAGS.includes(c)) return `EXCLUDED."${c}"`; // always given
  if (c === "optOut") return `"Patient"."optOut" OR EXCLUDED."optOut"`; // rule 5: a listing can add an opposition, never clear one
  // the new listing's phones first, then the known ones it did not repeat
  if (c === "phones") return `EXCLUDED."phones" || COALESCE((
      SELECT jsonb_agg(old) FROM jsonb_array_elements("Patient"."phones") old
      WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(EXCLUDED."phones") n WHERE n->>'e164' = old->>'e164')
    ), '[]'::jsonb)`;
  return `COALESCE(EXCLUDED."${c}", "Patient"."${c}")`;
};

// One named statement (planned once per connection): its plan is the unique index's, whatever the table's size.
// RETURNING: the patient as now stored, which eligibility is assessed on.
const UPSERT_PATIENTS = `
  INSERT INTO "Patient" ("id", "organisationId", ${COLUMNS.map(([c]) => `"${c}"`).join(", ")}, "updatedAt")
  SELECT u."id", $1::uuid, ${COLUMNS.map(([c]) => `u."${c}"`).join(", ")}, now()
  FROM ROWS FROM (unnest($2::uuid[]), ${COLUMNS.map(([, t], i) => (t === "jsonb" ? `jsonb_array_elements($${i + 3}::jsonb)` : `unnest($${i + 3}::${t}[])`)).join(", ")})
    AS u("id", ${COLUMNS.map(([c]) => `"${c}"`).join(", ")})
  ON CONFLICT ("organisationId", "matchKey") DO UPDATE SET
    ${COLUMNS.filter(([c]) => c !== "matchKey").map(([c]) => `"${c}" = ${merged(c)}`).join(",\n    ")},
    "updatedAt" = now()
  RETURNING "id", "matchKey", (xmax = 0) AS inserted, to_char("birthDate", 'YYYY-MM-DD') AS "birthDate", "ald", "css", "hasMt", "optOut",
    "consentContact", jsonb_array_length("phones") AS "phoneCount"`;

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
      const { line: _line, nir: _nir, usageNameGiven: _given, ...said } = row;
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
    const rules = await campaignRulesNow(client, ctx.campaignId);
    const assessed = stored.map((u) => ({ patientId: u.id, ...assessPatient(u, rules, ctx.today) }));
    await client.query({
      name: "import-upsert-enrolments",
      text: UPSERT_ENROLMENTS,
      values: [ctx.campaignId, assessed.map(timeOrderedUuid), assessed.map((a) => a.patientId), assessed.map((a) => a.eligible), assessed.map((a) => a.ineligibleReason), assessed.map((a) => a.priority), assessed.map((a) => a.priorityLabel)],
    });
    // A known patient is also enrolled elsewhere: what this listing says (a GP now, an opposition) holds there too.
    await reassessEnrolments(client, stored.filter((u) => !u.inserted).map((u) => u.id), ctx.today, ctx.campaignId);
  }

  return recordBatchProgress(client, ctx.importId, { accepted, merged, rows: rows.length }, rejections, remarksOf(rows, (r) => r.notes), checkpoint);
}

/**
 * The campaign's rules as of this batch, its row share-locked until the batch commits: a coordinator's new priority
 * order either committed before (this batch ranks by it) or waits for this commit (its background reordering,
 * decision 021, then finds this batch's enrolments). No batch of a long import is left in an order nobody applies.
 */
async function campaignRulesNow(client: pg.PoolClient, campaignId: string): Promise<CampaignRules> {
  const { rows: [c] } = await client.query<CampaignRules>({
    name: "import-campaign-rules",
    text: `SELECT "priorityOrder", "requiresContactConsent" FROM "Campaign" WHERE "id" = $1 FOR SHARE`,
    values: [campaignId],
  });
  return c;
}

type StoredPatient = PatientFacts & { id: string; matchKey: string; inserted: boolean };

/** The batch's people: the new ones inserted, the known ones merged; each as now stored. */
async function storePatients(client: pg.PoolClient, organisationId: string, people: PersonOfBatch[]): Promise<StoredPatient[]> {
  const { rows } = await client.query<StoredPatient>({ name: "import-upsert-patients", text: UPSERT_PATIENTS, values: [organisationId, people.map(timeOrderedUuid), ...columnValues(people)] });
  return rows;
}

/** One array per column; JSON values as one JSON array per column (zipped back by ROWS FROM): a jsonb[]
 * parameter would be escaped element by element by node-postgres, quote by quote. */
function columnValues(people: PersonOfBatch[]) {
  // a known patient's names and address: kept where this listing does not give them or writes them the same, poorer
  const spelled = people.map((p) => (p.known ? { ...p.row, ...keptSpellings({ ...p.known, usageNameGiven: true }, p.row) } : p.row));
  return COLUMNS.map(([c, t]) => {
    const column = people.map((p, i) => {
      switch (c) {
        case "matchKey": return p.writeKey;
        // of every row that named the person; the name in use's key stays the known one's when no usage name is given
        case "usageKey": return p.known && !p.row.usageNameGiven ? p.known.usageKey : p.usageKey;
        case "nirHash": case "externalId": case "birthKey": return p[c];
        case "phones": return JSON.stringify(p.row.phones); // joined below into one JSON array
        case "ald": case "css": case "hasMt": return p.row[c] ?? p.known?.[c] ?? false; // not given: as known, or without
        case "lastName": case "birthName": case "firstName": case "address": return spelled[i][c];
        default: return p.row[c];
      }
    });
    return t === "jsonb" ? `[${column.join(",")}]` : column;
  });
}
