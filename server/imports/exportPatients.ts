// The campaign's patients as stored, streamed page by page (never the whole table in memory).
import type { Writable } from "node:stream";
import { campaignZoneSql } from "../organisations/timeZone.ts";
import { pgPool } from "../pgPool.ts";
import { endCsv, frenchCsv, writeRecord } from "./frenchCsv.ts";
import { DONE_REASON_LABELS, OUTCOME_LABELS, type Outcome } from "../dialer/callingRules.ts";
import { phoneTypeLabel } from "../../shared-types/phoneTypes.ts";
import { writeIdentityReads, type IdentityRead } from "../audit/writeIdentityReads.ts";
import { shownBirthDateSql } from "../privacy/erasePatients.ts";

const PAGE = 2000;

const DIAL_STATE: Record<string, string> = { waiting: "à appeler", held: "attribué à un agent", done: "terminé" };

interface ExportRow {
  id: string;
  externalId: string | null;
  lastName: string;
  birthName: string | null;
  firstName: string | null;
  /** null once the identity is erased */
  birthDate: string | null;
  phones: { e164: string; type: string }[];
  inseeCode: string | null;
  postalCode: string | null;
  ald: boolean;
  css: boolean;
  hasMt: boolean;
  optOut: boolean;
  eligible: boolean;
  ineligibleReason: string | null;
  priority: number;
  priorityLabel: string;
  relationRpps: string | null;
  dialState: string;
  dueAt: string;
  attempts: number;
  lastOutcome: string | null;
  doneReason: string | null;
  sources: { importId: string; lines: number[] }[];
}

const QUERY = `
  SELECT e."id" AS "enrolmentId", p."id", p."externalId", p."lastName", p."birthName", p."firstName", ${shownBirthDateSql("p", "YYYY-MM-DD")} AS "birthDate",
         p."phones", p."inseeCode", p."postalCode", p."ald", p."css", p."hasMt", p."optOut",
         e."eligible", e."ineligibleReason", e."priority", e."priorityLabel", p."relationRpps",
         e."dialState", to_char(e."dueAt" AT TIME ZONE ${campaignZoneSql("$1::uuid")}, 'DD/MM/YYYY HH24:MI') AS "dueAt", e."attempts", e."lastOutcome", e."doneReason",
         COALESCE((SELECT jsonb_agg(jsonb_build_object('importId', s."importId", 'lines', s.lines))
                   FROM (SELECT "importId", array_agg("line" ORDER BY "line") AS lines FROM "PatientSource" WHERE "patientId" = p."id" GROUP BY "importId") s), '[]') AS sources
  FROM "Enrolment" e JOIN "Patient" p ON p."id" = e."patientId"
  WHERE e."campaignId" = $1 AND e."id" > $2
  ORDER BY e."id" LIMIT ${PAGE}`;

async function* pages(campaignId: string) {
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const { rows } = await pgPool().query<ExportRow & { enrolmentId: string }>(QUERY, [campaignId, after]);
    if (rows.length) yield rows;
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1].enrolmentId;
  }
}

const write = (out: Writable, text: string) => (out.write(text) ? Promise.resolve() : new Promise((r) => out.once("drain", r)));

/** `who`: whose reading of these identities each page is audited as (rule 7: one row per patient), before it is sent. */
export async function exportPatients(campaignId: string, format: "json" | "csv", out: Writable, who: Omit<IdentityRead, "via" | "context">) {
  const pagesRead = async function* () {
    for await (const rows of pages(campaignId)) {
      await writeIdentityReads(pgPool(), { ...who, via: "patient_export", context: { campaignId, format } }, rows.map((r) => r.id));
      yield rows;
    }
  };
  if (format === "json") {
    await write(out, "[");
    let first = true;
    for await (const rows of pagesRead()) {
      for (const { enrolmentId: _e, ...r } of rows) {
        await write(out, `${first ? "" : ","}\n${JSON.stringify(r)}`);
        first = false;
      }
    }
    await write(out, "\n]\n");
    return;
  }
  const csv = frenchCsv(out, ["Identifiant", "Identifiant caisse", "Nom", "Nom de naissance", "Prénom", "Date de naissance", "Téléphones", "Types", "Code INSEE", "Code postal", "ALD", "CSS", "Médecin traitant", "Opposé", "Éligible", "Motif de non-éligibilité", "Priorité", "Pourquoi ce patient", "RPPS médecin consulté", "État d'appel", "Prochain appel possible (heure de l'organisation)", "Tentatives", "Dernier résultat", "Fin des appels", "Sources (import : lignes)"]);
  const yesNo = (b: boolean) => (b ? "oui" : "non");
  for await (const rows of pagesRead()) {
    for (const r of rows) {
      await writeRecord(csv, [
        r.id, r.externalId, r.lastName, r.birthName, r.firstName, r.birthDate?.split("-").reverse().join("/") ?? "",
        r.phones.map((p) => p.e164).join(" "), r.phones.map((p) => phoneTypeLabel(p.type)).join(" "), r.inseeCode, r.postalCode,
        yesNo(r.ald), yesNo(r.css), yesNo(r.hasMt), yesNo(r.optOut), yesNo(r.eligible), r.ineligibleReason, r.priority + 1, r.priorityLabel, r.relationRpps,
        // an ineligible patient waits for nobody: the dialer never hands them out
        !r.eligible && r.dialState === "waiting" ? "non éligible" : DIAL_STATE[r.dialState] ?? r.dialState, r.eligible && r.dialState === "waiting" ? r.dueAt : "", r.attempts, r.lastOutcome ? OUTCOME_LABELS[r.lastOutcome as Outcome] ?? r.lastOutcome : "",
        r.doneReason ? DONE_REASON_LABELS[r.doneReason] ?? r.doneReason : "",
        r.sources.map((s) => `${s.importId} : ${s.lines.join(",")}`).join(" | "),
      ]);
    }
  }
  await endCsv(csv);
}
