// The reports as plain tables (French headers) for the CSV and XLSX exports.
import type { CampaignReport } from "./loadCampaignReport.ts";
import type { territorialDiagnosis } from "./territorialDiagnosis.ts";
import { GP_AGE_BANDS, PATIENT_COLUMNS } from "./territorialDiagnosis.ts";
import type { beforeAfter } from "./beforeAfter.ts";
import { exportedCell } from "./suppressSmallCounts.ts";

export type CellValue = string | number | Date | null;
export interface ExportTable {
  /** Sheet name (≤ 31 characters) and the `table` value of the CSV export. */
  key: string;
  sheet: string;
  columns: string[];
  rows: CellValue[][];
}

const minutes = (s: number) => Math.round(s / 6) / 10;

export function campaignReportTables(r: CampaignReport): ExportTable[] {
  return [
    {
      key: "funnel", sheet: "Entonnoir", columns: ["Étape", "Patients", "% de l'étape précédente", "% des importés"],
      rows: [...r.funnel.stages.map((s) => [s.label, s.count, s.ofPrevious, s.ofImported]), [r.funnel.note, null, null, null]],
    },
    {
      key: "outcomes", sheet: "Résultats par tentative", columns: ["Tentative", "Appels", ...r.outcomesByAttempt.outcomes.map((o) => o.label)],
      rows: r.outcomesByAttempt.rows.map((row) => [row.attemptNumber, row.total, ...r.outcomesByAttempt.outcomes.map((o) => row.counts[o.outcome])]),
    },
    {
      key: "hours", sheet: "Joignabilité par heure", columns: ["Heure (locale du patient)", "Appels", "Joints", "Taux de joignabilité (%)"],
      rows: r.reachByTime.byHour.map((h) => [`${String(h.hour).padStart(2, "0")} h`, h.calls, h.reached, h.rate]),
    },
    {
      key: "weekdays", sheet: "Joignabilité par jour", columns: ["Jour", "Appels", "Joints", "Taux de joignabilité (%)"],
      rows: r.reachByTime.byWeekday.map((d) => [d.label, d.calls, d.reached, d.rate]),
    },
    {
      key: "agents", sheet: "Agents",
      columns: ["Agent", "Appels", "Joints", "Taux de joignabilité (%)", "Temps de conversation (min)", "Temps de traitement (min)", "Occupation (%)", "Orientations"],
      rows: r.agents.map((a) => [a.name, a.calls, a.reached, a.reachRate, minutes(a.talkSeconds), minutes(a.handleSeconds), a.occupancy, a.oriented]),
    },
    {
      key: "holders", sheet: "Médecins et équipes",
      columns: ["Type", "Médecin ou équipe", "RPPS", "Commune", "Proposés", "Confirmés", "Refusés", "Expirés", "En attente", "Capacité", "Places prises"],
      rows: r.holders.map((h) => [h.kind === "team" ? "Équipe (MSP)" : "Médecin", h.name, h.rpps, h.communeName ?? h.inseeCode, h.proposed, h.confirmed, h.declined, h.expired, h.waiting, h.capacity, h.taken]),
    },
    {
      key: "communes", sheet: "Communes", columns: ["Code INSEE", "Commune", ...r.communes.stages.map((s) => s.label)],
      rows: [
        ...r.communes.rows.map((c) => [c.inseeCode, c.communeName, ...r.communes.stages.map((s) => exportedCell(c.cells[s.key]))]),
        [null, "Total", ...r.communes.stages.map((s) => exportedCell(r.communes.totals[s.key]))],
      ],
    },
    {
      key: "delays", sheet: "Délai d'orientation", columns: ["Délai entre l'import et l'orientation", "Patients"],
      rows: [
        ...r.timeToOrientation.buckets.map((b) => [b.label, b.count]),
        ["Médiane (jours)", r.timeToOrientation.medianDays], ["1er quartile (jours)", r.timeToOrientation.p25Days],
        ["3e quartile (jours)", r.timeToOrientation.p75Days], ["9e décile (jours)", r.timeToOrientation.p90Days],
      ],
    },
  ];
}

export function diagnosisTables(d: Awaited<ReturnType<typeof territorialDiagnosis>>): ExportTable[] {
  const share = (n: number | null) => n;
  return [
    {
      key: "communes", sheet: "Diagnostic par commune",
      columns: ["Code INSEE", "Commune", "Population", ...PATIENT_COLUMNS.flatMap((c) => [c.label, `${c.label} (% de la population)`]),
        "Médecins généralistes", "Médecins ayant de la place", "Places disponibles", "Cessations d'activité annoncées"],
      rows: [
        ...d.communes.map((c) => [c.inseeCode, c.name, c.population, ...PATIENT_COLUMNS.flatMap((p) => [exportedCell(c.patients[p.key]), share(c.shares[p.key])]), c.gps, c.withRoom, c.places, c.endingActivity]),
        [null, "Total du territoire", d.total.population, ...PATIENT_COLUMNS.flatMap((p) => [exportedCell(d.total.patients[p.key]), share(d.total.shares[p.key])]), d.total.gps, d.total.withRoom, d.total.places, d.total.endingActivity],
      ],
    },
    {
      key: "gp_ages", sheet: "Âge des médecins", columns: ["Âge", "Médecins généralistes"],
      rows: GP_AGE_BANDS.map((b, i) => [b.label, exportedCell(d.gpAges[i])]),
    },
  ];
}

export function beforeAfterTables(b: Awaited<ReturnType<typeof beforeAfter>>): ExportTable[] {
  const header = (label: string) => [`${label} — période précédente (${fr(b.previous.from)} au ${fr(b.previous.to)})`, `${label} — période (${fr(b.period.from)} au ${fr(b.period.to)})`];
  return [{
    key: "before_after", sheet: "Avant-après", columns: ["Organisation ou équipe", ...b.measures.flatMap((m) => header(m.label))],
    rows: [
      ["Organisation (total)", ...b.measures.flatMap((m) => [b.total.before[m.key], b.total.after[m.key]])],
      ...b.rows.map((r) => [r.label, ...b.measures.flatMap((m) => [r.before[m.key], r.after[m.key]])]),
    ],
  }];
}

const fr = (iso: string) => iso.split("-").reverse().join("/");
