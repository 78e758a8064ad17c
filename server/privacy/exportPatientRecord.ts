// Right of access (RGPD art. 15): everything stored about one patient — identity, the listing rows
// they came from, enrolments, call attempts, consents, opposition, orientations, declarations and
// the audit entries about them — as one JSON document or one CSV (one line per fact). The audit
// entries are read page by page; the rest is one patient's worth of rows.
import type { Writable } from "node:stream";
import type pg from "pg";
import { errors } from "../errors.ts";
import { endCsv, frenchCsv, writeRecord } from "../imports/frenchCsv.ts";
import { DONE_REASON_LABELS, OUTCOME_LABELS, type Outcome } from "../dialer/callingRules.ts";
import { auditActionLabel, auditDetailsText } from "../../shared-types/auditLabels.ts";
import { formatPhone } from "../../shared-types/phoneTypes.ts";
import { OPPOSITION_SOURCE_LABELS } from "../consent/listOppositions.ts";
import { frenchDate } from "../reports/writeTables.ts";
import { ORIENTATION_STATUS_LABELS } from "../reports/exportOrientations.ts";

const CHANNEL_LABELS: Record<string, string> = { phone: "téléphone", letter: "courrier", online: "en ligne" };
const DECLARATION_STATUSES: Record<string, string> = { sent: "envoyée à la caisse", declared: "déclarée", rejected: "rejetée par la caisse" };

const AUDIT_PAGE = 1000;

const PURPOSE_LABELS: Record<string, string> = { contact: "être contacté", share_identity: "transmission de l'identité au médecin", mt_declaration: "déclaration du médecin traitant" };

async function sections(client: pg.PoolClient | pg.Pool, organisationId: string, patientId: string) {
  const q = async (sql: string) => (await client.query(sql, [patientId])).rows;
  const [patient] = await q(
    `SELECT "id", "externalId", "lastName", "birthName", "firstName", to_char("birthDate", 'YYYY-MM-DD') AS "birthDate", "sex", "phones", "address", "postalCode", "inseeCode",
            "ald", "css", "hasMt", "optOut", "consentContact", "relationRpps", "relationVisits", "nirHash" IS NOT NULL AS "nirKnown", "erasedAt", "createdAt", "updatedAt", "organisationId"
     FROM "Patient" WHERE "id" = $1`,
  );
  if (!patient || patient.organisationId !== organisationId) throw errors.notFound("Patient");
  delete patient.organisationId;
  const [sources, enrolments, attempts, consents, opposition, orientations, declarations] = await Promise.all([
    q(`SELECT s."importId", i."fileName", s."line", s."data", s."createdAt" FROM "PatientSource" s JOIN "Import" i ON i."id" = s."importId" WHERE s."patientId" = $1 ORDER BY s."createdAt", s."line"`),
    q(`SELECT e."id", c."name" AS campaign, e."eligible", e."ineligibleReason", e."priorityLabel", e."dialState", e."attempts", e."lastOutcome", e."doneReason", e."createdAt"
       FROM "Enrolment" e JOIN "Campaign" c ON c."id" = e."campaignId" WHERE e."patientId" = $1 ORDER BY e."createdAt"`),
    q(`SELECT a."id", c."name" AS campaign, a."attemptNumber", a."phone", a."provider", a."createdAt", a."answeredAt", a."durationSeconds", a."outcome", a."outcomeAt", a."comment", a."callbackAt", u."name" AS agent
       FROM "CallAttempt" a JOIN "Enrolment" e ON e."id" = a."enrolmentId" JOIN "Campaign" c ON c."id" = a."campaignId" LEFT JOIN "User" u ON u."id" = a."agentId"
       WHERE e."patientId" = $1 ORDER BY a."createdAt"`),
    q(`SELECT k."id", k."purpose", k."granted", k."channel", k."recordedByLabel", k."at", s."version" AS "scriptVersion", s."questions"->>(k."purpose"::text) AS question
       FROM "Consent" k LEFT JOIN "ScriptVersion" s ON s."id" = k."scriptVersionId" WHERE k."patientId" = $1 ORDER BY k."at", k."id"`),
    q(`SELECT "source", "comment", "at" FROM "Opposition" WHERE "patientId" = $1`),
    q(`SELECT o."id", c."name" AS campaign, o."status", o."basis", o."distanceKm", o."reservedAt", o."expiresAt", o."answeredAt", o."declineReason",
              COALESCE(t."name", trim(g."lastName" || ' ' || COALESCE(g."firstName", ''))) AS holder, ag."rpps" AS "assignedRpps"
       FROM "Orientation" o JOIN "Campaign" c ON c."id" = o."campaignId" LEFT JOIN "Team" t ON t."id" = o."teamId" LEFT JOIN "Gp" g ON g."id" = o."gpId" LEFT JOIN "Gp" ag ON ag."id" = o."assignedGpId"
       WHERE o."patientId" = $1 ORDER BY o."reservedAt"`),
    q(`SELECT d."id", d."gpRpps", d."status", d."sentAt", d."answeredAt", d."rejectReason" FROM "Declaration" d JOIN "Orientation" o ON o."id" = d."orientationId" WHERE o."patientId" = $1 ORDER BY d."sentAt"`),
  ]);
  return { patient, sources, enrolments, attempts, consents, opposition: opposition[0] ?? null, orientations, declarations };
}

async function* auditPages(client: pg.PoolClient | pg.Pool, organisationId: string, patientId: string) {
  let after = 0n;
  for (;;) {
    const { rows } = await client.query(
      `SELECT a."id", a."at", a."action", a."ip", a."details", COALESCE(u."name", a."actorLabel") AS actor
       FROM "AuditLog" a LEFT JOIN "User" u ON u."id" = a."actorUserId"
       WHERE a."targetType" = 'patient' AND a."targetId" = $1 AND a."organisationId" = $2 AND a."id" > $3 ORDER BY a."id" LIMIT ${AUDIT_PAGE}`,
      [patientId, organisationId, after.toString()],
    );
    if (rows.length) yield rows.map((r) => ({ ...r, id: String(r.id) }));
    if (rows.length < AUDIT_PAGE) return;
    after = BigInt(rows[rows.length - 1].id);
  }
}

const write = (out: Writable, text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once("drain", () => r())));

/** Throws not found (before writing anything) when the patient is not the organisation's. */
export async function loadPatientRecord(client: pg.PoolClient | pg.Pool, organisationId: string, patientId: string) {
  return sections(client, organisationId, patientId);
}

export async function writePatientRecord(client: pg.PoolClient | pg.Pool, organisationId: string, record: Awaited<ReturnType<typeof loadPatientRecord>>, format: "json" | "csv", out: Writable, zone: string) {
  const patientId = record.patient.id as string;
  if (format === "json") {
    const head = JSON.stringify({ generatedAt: new Date(), ...record }, null, 2);
    await write(out, `${head.slice(0, -2)},\n  "audit": [`);
    let first = true;
    for await (const page of auditPages(client, organisationId, patientId)) {
      for (const entry of page) {
        await write(out, `${first ? "" : ","}\n    ${JSON.stringify(entry)}`);
        first = false;
      }
    }
    await write(out, "\n  ]\n}\n");
    return;
  }
  const csv = frenchCsv(out, ["Rubrique", "Date", "Élément", "Valeur"]);
  const d = (v: unknown) => (v instanceof Date ? frenchDate(v, zone, true) : "");
  const p = record.patient;
  const identity: [string, unknown][] = [
    ["Identifiant", p.id], ["Identifiant caisse", p.externalId], ["Nom", p.lastName], ["Nom de naissance", p.birthName], ["Prénom", p.firstName],
    ["Date de naissance", p.birthDate ? String(p.birthDate).split("-").reverse().join("/") : ""], ["Sexe", p.sex],
    ["Téléphones", (p.phones as { e164: string }[]).map((x) => formatPhone(x.e164)).join(", ")], ["Adresse", p.address], ["Code postal", p.postalCode], ["Code INSEE", p.inseeCode],
    ["ALD", p.ald ? "oui" : "non"], ["CSS", p.css ? "oui" : "non"], ["Médecin traitant déclaré", p.hasMt ? "oui" : "non"], ["Opposé aux appels", p.optOut ? "oui" : "non"],
    ["NIR connu (conservé sous forme d'empreinte)", p.nirKnown ? "oui" : "non"], ["Médecin consulté (RPPS)", p.relationRpps], ["Identité effacée le", d(p.erasedAt)],
  ];
  for (const [k, v] of identity) await writeRecord(csv, ["Identité", d(p.createdAt), k, v == null ? "" : String(v)]);
  for (const s of record.sources) await writeRecord(csv, ["Listing d'origine", d(s.createdAt), `${s.fileName} ligne ${s.line}`, listingRowText(s.data as Record<string, unknown>)]);
  for (const e of record.enrolments) await writeRecord(csv, ["Campagne", d(e.createdAt), e.campaign, `${e.eligible ? "éligible" : `non éligible (${e.ineligibleReason ?? ""})`}, ${e.priorityLabel}, ${e.attempts} tentative(s)${e.doneReason ? `, fin des appels : ${DONE_REASON_LABELS[e.doneReason] ?? e.doneReason}` : ""}`]);
  for (const a of record.attempts) await writeRecord(csv, ["Appel", d(a.createdAt), `${a.campaign} — tentative ${a.attemptNumber} (${a.agent ?? "agent"})`, `${a.phone ? formatPhone(a.phone) : "numéro effacé"}, ${a.outcome ? OUTCOME_LABELS[a.outcome as Outcome] ?? a.outcome : "sans résultat"}${a.durationSeconds ? `, ${a.durationSeconds} s` : ""}${a.comment ? `, ${a.comment}` : ""}`]);
  for (const c of record.consents) await writeRecord(csv, ["Consentement", d(c.at), PURPOSE_LABELS[c.purpose] ?? c.purpose, `${c.granted ? "accordé" : "refusé"} (${CHANNEL_LABELS[c.channel] ?? c.channel}, ${c.recordedByLabel}${c.scriptVersion ? `, script v${c.scriptVersion}` : ""})${c.question ? ` — « ${c.question} »` : ""}`]);
  if (record.opposition) await writeRecord(csv, ["Opposition", d(record.opposition.at), OPPOSITION_SOURCE_LABELS[record.opposition.source] ?? record.opposition.source, record.opposition.comment ?? ""]);
  for (const o of record.orientations) await writeRecord(csv, ["Orientation", d(o.reservedAt), `${o.campaign} — ${o.holder}`, `${ORIENTATION_STATUS_LABELS[o.status] ?? o.status}${o.answeredAt ? ` le ${d(o.answeredAt)}` : ""}${o.declineReason ? ` (${o.declineReason})` : ""}`]);
  for (const x of record.declarations) await writeRecord(csv, ["Déclaration médecin traitant", d(x.sentAt), `RPPS ${x.gpRpps}`, `${DECLARATION_STATUSES[x.status] ?? x.status}${x.rejectReason ? ` (${x.rejectReason})` : ""}`]);
  for await (const page of auditPages(client, organisationId, patientId)) {
    for (const a of page) await writeRecord(csv, ["Journal d'audit", d(a.at), `${auditActionLabel(a.action)} par ${a.actor ?? "système"}`, [a.ip ? `adresse IP ${a.ip}` : "", auditDetailsText(a.details, (iso) => frenchDate(new Date(iso), zone, true))].filter(Boolean).join(" ; ")]);
  }
  await endCsv(csv);
}

/** What a listing said of the patient (PatientSource.data), in words: each value given, by its French name. */
const LISTING_FIELDS: Record<string, string> = {
  externalId: "identifiant caisse", lastName: "nom", birthName: "nom de naissance", firstName: "prénom", birthDate: "date de naissance", sex: "sexe",
  phones: "téléphones", address: "adresse", postalCode: "code postal", inseeCode: "code INSEE", ald: "ALD", css: "CSS", hasMt: "médecin traitant déclaré",
  optOut: "opposé aux appels", consentContact: "accepte d'être contacté", relationRpps: "médecin consulté (RPPS)", relationVisits: "consultations chez ce médecin",
  notes: "remarques de l'import",
};
function listingRowText(data: Record<string, unknown>): string {
  const text = (k: string, v: unknown): string | null => {
    if (v === null || v === undefined || v === "" || (Array.isArray(v) && !v.length)) return null;
    if (typeof v === "boolean") return v ? "oui" : "non";
    if (k === "birthDate" && typeof v === "string") return v.split("-").reverse().join("/");
    if (k === "phones" && Array.isArray(v)) return v.map((x: { e164: string }) => formatPhone(x.e164)).join(", ");
    if (Array.isArray(v)) return v.join(" ; ");
    return String(v);
  };
  // in the order of a listing's columns (jsonb keeps its keys in an order of its own)
  const keys = [...Object.keys(LISTING_FIELDS).filter((k) => k in data), ...Object.keys(data).filter((k) => !(k in LISTING_FIELDS))];
  return keys
    .flatMap((k) => {
      const value = text(k, data[k]);
      return value === null ? [] : [`${LISTING_FIELDS[k] ?? k} : ${value}`];
    })
    .join(", ");
}
