import type { FrenchTimeZone } from "../../../shared-types/timeZones.ts";

export interface PatientCard {
  enrolmentId: string;
  campaign: { id: string; name: string; dialMode: "preview" | "progressive" };
  patient: {
    id: string; lastName: string; birthName: string | null; firstName: string | null; birthDate: string; age: number; sex: string | null;
    address: string | null; postalCode: string | null; commune: { inseeCode: string; name: string } | null;
    ald: boolean; css: boolean; relationRpps: string | null;
    phones: { e164: string; type: string; wrong: boolean }[];
    currentPhone: string | null;
    timeZone: FrenchTimeZone;
  };
  why: string;
  reorientReason: string | null;
  callbackAt: string | null;
  openAttempt: { id: string; phone: string; callStatus: string; answeredBy: string | null; endReason: string | null; provider: string } | null;
  telephony: "simulator" | "manual" | "twilio";
  history: { attemptNumber: number; phone: string; at: string; outcome: string; comment: string | null; callbackAt: string | null }[];
}

/** Why « Prêt » found nobody (server/dialer/explainNoPatient.ts), in French. */
export interface NoPatient {
  code: string;
  nextPossibleAt: string | null;
  reasons: { code: string; campaign: { id: string; name: string } | null; text: string; at: string | null }[];
}

/** The answer to a change of state: the card held, or, after « Prêt » found nobody, why. */
export interface StatusAnswer {
  state: AgentState;
  card: PatientCard | null;
  noPatient?: NoPatient | null;
}

export interface AgentState {
  status: "offline" | "ready" | "paused" | "busy" | "wrap_up";
  pauseReason: string | null;
  since: string;
}

export const OUTCOME_BUTTONS: { outcome: string; label: string; key: string }[] = [
  { outcome: "reached", label: "Joint", key: "1" },
  { outcome: "no_answer", label: "Pas de réponse", key: "2" },
  { outcome: "busy", label: "Occupé", key: "3" },
  { outcome: "voicemail", label: "Messagerie", key: "4" },
  { outcome: "callback", label: "Rappel demandé", key: "5" },
  { outcome: "refused", label: "Refus", key: "6" },
  { outcome: "has_mt", label: "A déjà un médecin traitant", key: "7" },
  { outcome: "wrong_number", label: "Faux numéro", key: "8" },
  { outcome: "moved", label: "A déménagé", key: "9" },
  { outcome: "deceased", label: "Décédé", key: "D" },
  { outcome: "opposed", label: "S'oppose à tout appel", key: "X" },
  { outcome: "language_barrier", label: "Barrière de la langue", key: "L" },
  { outcome: "other", label: "Autre (commentaire)", key: "A" },
];

export const OUTCOME_LABEL: Record<string, string> = Object.fromEntries([...OUTCOME_BUTTONS.map((b) => [b.outcome, b.label]), ["interrupted", "Interrompu"]]);

export const STATUS_LABEL: Record<AgentState["status"], string> = {
  offline: "Hors ligne", ready: "Prêt", paused: "En pause", busy: "Avec un patient", wrap_up: "Après-appel",
};

export const PAUSE_LABEL: Record<string, string> = { break: "Pause", training: "Formation", admin: "Tâches administratives", supervisor: "Pause imposée" };

export const CALL_STATUS_LABEL: Record<string, string> = { created: "Numérotation…", ringing: "Ça sonne…", answered: "Décroché", ended: "Appel terminé" };

/** How an ended call ended, after « Appel terminé » (CallAttempt.endReason). */
export const CALL_END_LABEL: Record<string, string> = {
  busy: " (occupé)", "no-answer": " (pas de réponse)", failed: " (échec)",
  // the simulated call lived in a server process that stopped or died (server/calls/endLostSimulatedCalls.ts)
  "process-gone": " — appel coupé : serveur redémarré",
};
