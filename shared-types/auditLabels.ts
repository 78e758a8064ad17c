// The audit log as people read it, in the viewer and in its exports: actions, targets and roles by their French
// names. The log itself keeps the stable codes.
import type { Role } from "./events.ts";

export const ROLE_LABELS: Record<Role, string> = { admin: "Administrateur", coordinator: "Coordinateur", supervisor: "Superviseur", agent: "Agent" };

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  "patient.identity.read": "Identité consultée", "patient.export": "Export des patients", "patient.access_export": "Droit d'accès (export)",
  "patient.erased": "Identité effacée", "orientation.export": "Export des patients orientés", "report.export": "Export d'un rapport",
  "orientation.confirm": "Orientation confirmée", "orientation.decline": "Orientation refusée",
  "audit.export": "Export du journal", "retention.run": "Conservation appliquée", "retention.configure": "Durée de conservation modifiée",
  "organisation.time_zone": "Fuseau horaire modifié",
  "auth.login": "Connexion", "auth.logout": "Déconnexion", "auth.login_failed": "Connexion refusée",
  "campaign.create": "Campagne créée", "campaign.rules": "Règles d'appel modifiées", "campaign.script": "Script d'appel modifié",
  "campaign.running": "Campagne démarrée", "campaign.paused": "Campagne mise en pause", "campaign.closed": "Campagne clôturée",
  "import.upload": "Listing déposé", "import.rejections_export": "Export des lignes rejetées d'un import",
  "import_mapping.save": "Correspondance de colonnes enregistrée", "import_mapping.delete": "Correspondance de colonnes supprimée", "organisation.create": "Organisation créée", "organisation.telephony": "Téléphonie modifiée",
  "organisation.telephony.test_call": "Appel d'essai", "user.create": "Utilisateur créé", "user.update": "Utilisateur modifié",
  "supervision.pause_agent": "Pause imposée à un agent", "supervision.release_patient": "Patient libéré par la supervision",
  "supervision.reassign_callback": "Rappel confié à un autre agent", "capacity.declare": "Capacité déclarée",
  "declaration.batch.create": "Lot de déclarations créé", "declaration.export": "Déclarations exportées", "declaration.answers": "Réponses de la caisse appliquées",
  "gplink.create": "Lien médecin créé", "gplink.send": "Lien médecin envoyé", "gplink.revoke": "Lien médecin révoqué", "opposition.create": "Opposition enregistrée",
  "opposition.import": "Registre d'oppositions importé",
};

export const AUDIT_TARGET_LABELS: Record<string, string> = {
  patient: "patient", user: "utilisateur", campaign: "campagne", enrolment: "patient de campagne", import: "import", import_mapping: "correspondance de colonnes", organisation: "organisation",
  gp: "médecin", team: "équipe", gplink: "lien médecin", orientation: "orientation", declaration_batch: "lot de déclarations",
};

export const auditActionLabel = (action: string) => AUDIT_ACTION_LABELS[action] ?? action;
export const auditTargetLabel = (target: string | null) => (target ? AUDIT_TARGET_LABELS[target] ?? target : "");

/** Where an identity was read (details.via of « patient.identity.read »). */
export const IDENTITY_READ_VIA: Record<string, string> = {
  agent_card: "fiche patient de l'agent", gp_link: "page du médecin (lien)", orientations: "orientations à suivre", orientations_export: "export des patients orientés",
  declaration_batches: "lots de déclarations", declaration_file: "fichier des déclarations pour la caisse", declarations_pending: "déclarations à envoyer", oppositions: "registre des oppositions",
  privacy_search: "recherche (droits des patients)", team_profile: "profil de patientèle", why_not_called_search: "recherche « pourquoi pas appelé »",
  patient_export: "export des patients de la campagne",
};

const DETAIL_KEYS: Record<string, string> = {
  reason: "motif", note: "note", format: "format", campaignId: "campagne", enrolmentId: "patient de campagne", patientId: "patient", email: "e-mail",
  role: "rôle", active: "actif", name: "nom", phone: "téléphone", password: "mot de passe", status: "statut", months: "mois", cutoff: "date limite",
  erased: "identités effacées", onBehalf: "pour le médecin", fileName: "fichier", bytes: "octets", kind: "type", table: "tableau", report: "rapport",
  timeZone: "fuseau horaire", communes: "communes", before: "avant", after: "après", count: "nombre", provider: "fournisseur", to: "numéro", holderId: "médecin ou équipe", headers: "en-têtes",
  actorUserId: "qui", filterAction: "action", periodFrom: "du", periodTo: "au",
};
const DETAIL_VALUES: Record<string, string> = { request: "demande du patient", retention: "durée de conservation", ...ROLE_LABELS };

/** An entry's details in words: keys and known values named in French, « via » said as where, dates in French. */
export function auditDetailsText(details: Record<string, unknown> | null | undefined, formatDate: (iso: string) => string): string {
  return Object.entries(details ?? {})
    .filter(([, v]) => v !== null && v !== undefined && v !== "")
    .map(([k, v]) => {
      if (k === "via" && typeof v === "string") return `par : ${IDENTITY_READ_VIA[v] ?? v}`;
      if (k === "filterAction" && typeof v === "string") return `action : ${auditActionLabel(v)}`;
      const key = DETAIL_KEYS[k] ?? k;
      if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return `${key} : ${formatDate(v)}`;
      if (typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v)) return `${key} : ${v.split("-").reverse().join("/")}`; // a day
      if (typeof v === "boolean") return `${key} : ${v ? "oui" : "non"}`;
      if (typeof v === "string") return `${key} : ${DETAIL_VALUES[v] ?? v}`;
      return `${key} : ${typeof v === "object" ? JSON.stringify(v) : String(v)}`;
    })
    .join(", ");
}
