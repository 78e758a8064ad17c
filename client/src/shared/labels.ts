import type { OrganisationKind, Role } from "../../../shared-types/events.ts";
import { timeZoneName } from "../../../shared-types/timeZones.ts";

export { ROLE_LABELS } from "../../../shared-types/auditLabels.ts";
export const ROLE_HOME: Record<Role, string> = { admin: "/admin", coordinator: "/coordination", supervisor: "/supervision", agent: "/agent" };
export const ORG_KIND_LABELS: Record<OrganisationKind, string> = { CPAM: "CPAM", MSA: "MSA", CPTS: "CPTS" };
export const CAMPAIGN_TYPE_LABELS: Record<string, string> = {
  ald_sans_mt: "ALD sans médecin traitant",
  retirement: "Cessation d'activité d'un médecin",
  regularisation: "Régularisation",
};
export const CAMPAIGN_STATUS_LABELS: Record<string, string> = { draft: "Brouillon", running: "En cours", paused: "En pause", closed: "Clôturée" };
export const IMPORT_STATUS_LABELS: Record<string, string> = {
  uploaded: "En attente de la correspondance des colonnes",
  queued: "En file d'attente",
  running: "En cours",
  done: "Terminé",
  failed: "Échec",
};

// Dates and times are shown in the organisation's time zone (the one of its reports and exports), set when the
// session is known; until then, the browser's.
let organisationZone: string | undefined;
export function setOrganisationTimeZone(zone: string | undefined) {
  organisationZone = zone;
}
/** The zone dates and times are shown in: the organisation's, or the browser's until the session is known. */
export const shownTimeZone = () => organisationZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
/** A calendar date (yyyy-mm-dd, or the start of an ISO instant) as French write it: jj/mm/aaaa. */
export const frDate = (iso: string) => iso.slice(0, 10).split("-").reverse().join("/");
export const formatDateTime = (iso: string) => new Date(iso).toLocaleString("fr-FR", { dateStyle: "short", timeStyle: "short", timeZone: organisationZone });
/** The French name of the zone the dates are shown in (« Métropole et Corse », « La Réunion »). */
export const shownTimeZoneName = () => timeZoneName(organisationZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
export const formatTime = (iso: string) => new Date(iso).toLocaleTimeString("fr-FR", { timeZone: organisationZone });
