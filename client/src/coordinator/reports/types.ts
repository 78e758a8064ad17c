// Shapes of the report API answers (server/reports/).
export interface Cell { count: number | null; label: string }
export interface FunnelStage { stage: string; label: string; count: number; ofPrevious: number | null; ofImported: number | null }
export interface CampaignReport {
  campaign: { id: string; name: string; type: string; status: string; createdAt: string; closedAt: string | null };
  generatedAt: string;
  funnel: { stages: FunnelStage[]; note: string };
  outcomesByAttempt: { outcomes: { outcome: string; label: string }[]; rows: { attemptNumber: number; total: number; counts: Record<string, number> }[] };
  reachByTime: { byHour: { hour: number; calls: number; reached: number; rate: number | null }[]; byWeekday: { weekday: number; label: string; calls: number; reached: number; rate: number | null }[] };
  agents: { agentId: string; name: string; calls: number; reached: number; reachRate: number | null; talkSeconds: number; handleSeconds: number; occupancy: number | null; oriented: number }[];
  holders: { kind: "gp" | "team"; holderId: string; name: string; rpps: string | null; communeName: string | null; inseeCode: string | null; proposed: number; confirmed: number; declined: number; expired: number; waiting: number; capacity: number; taken: number }[];
  communes: { stages: { key: string; label: string; short: string }[]; rows: { inseeCode: string | null; communeName: string | null; cells: Record<string, Cell> }[]; totals: Record<string, Cell> };
  timeToOrientation: { count: number; medianDays: number | null; p25Days: number | null; p75Days: number | null; p90Days: number | null; buckets: { label: string; count: number }[] };
}
export type PatientKey = "noMt" | "ald" | "css" | "age70";
export interface Diagnosis {
  threshold: number;
  minAge: number;
  communes: { inseeCode: string; name: string; population: number | null; patients: Record<PatientKey, Cell>; shares: Record<PatientKey, number | null>; gps: number; withRoom: number; places: number; endingActivity: number }[];
  total: { population: number | null; patients: Record<PatientKey, Cell>; shares: Record<PatientKey, number | null>; gps: number; withRoom: number; places: number; endingActivity: number };
  gpAges: { band: string; name: string; count: number | null; label: string }[];
}
export type Measure = "oriented" | "confirmed" | "declared";
export interface BeforeAfter {
  period: { from: string; to: string; days: number };
  previous: { from: string; to: string };
  measures: { key: Measure; label: string }[];
  total: { before: Record<Measure, number>; after: Record<Measure, number> };
  rows: { teamId: string | null; label: string; before: Record<Measure, number>; after: Record<Measure, number> }[];
}
