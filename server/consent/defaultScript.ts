// The script a campaign starts with (version 1), per campaign type. Coordinators edit it; each
// edit is a new version, and every consent record cites the version that was read.
import type { CampaignType } from "../generated/prisma/client.ts";

export const CONSENT_PURPOSES = ["contact", "share_identity", "mt_declaration"] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const CONSENT_PURPOSE_LABELS: Record<ConsentPurpose, string> = {
  contact: "Être contacté pour cette campagne",
  share_identity: "Transmettre son identité au médecin ou à l'équipe proposé(e)",
  mt_declaration: "Laisser la caisse enregistrer la déclaration de médecin traitant",
};

export type ScriptQuestions = Record<ConsentPurpose, string>;

const QUESTIONS: ScriptQuestions = {
  contact: "Acceptez-vous que nous poursuivions cet appel et vous recontactions si besoin pour vous aider à trouver un médecin traitant ?",
  share_identity: "Acceptez-vous que nous transmettions votre nom, votre date de naissance et votre commune au médecin ou à l'équipe que nous vous proposons ?",
  mt_declaration: "Acceptez-vous que la caisse enregistre pour vous la déclaration de médecin traitant une fois que le médecin aura accepté ?",
};

const OPENING = "Bonjour, je suis {agent}, je vous appelle de la part de {organisation}. Je souhaite parler à {patient}.";

const BODIES: Record<CampaignType, string> = {
  ald_sans_mt: `${OPENING}
Vous êtes suivi(e) pour une affection de longue durée et vous n'avez pas de médecin traitant déclaré. Nous aidons les patients dans votre situation à en trouver un près de chez vous.
Avez-vous aujourd'hui un médecin que vous consultez régulièrement ?
Si non : nous pouvons vous proposer un médecin ou une équipe de maison de santé qui accepte de nouveaux patients.`,
  retirement: `${OPENING}
Votre médecin traitant va cesser son activité. Pour que vous ne restiez pas sans médecin, nous vous proposons d'abord un autre médecin de son équipe, ou un médecin proche de chez vous.`,
  regularisation: `${OPENING}
Vous consultez régulièrement le même médecin sans l'avoir déclaré comme médecin traitant. Nous vous proposons de le déclarer : cela améliore votre prise en charge et votre remboursement.`,
};

export function defaultScript(type: CampaignType): { body: string; questions: ScriptQuestions } {
  return { body: BODIES[type], questions: { ...QUESTIONS } };
}
