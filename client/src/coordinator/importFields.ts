// The fields a listing's columns are read into, by kind of file, with the French names the coordinator reads
// (the mapping form's choices, the saved mappings' list).
export type ImportKind = "patients" | "gps";

export const IMPORT_FIELDS: Record<ImportKind, [field: string, label: string][]> = {
  patients: [
    ["externalId", "Identifiant caisse"], ["lastName", "Nom"], ["birthName", "Nom de naissance"], ["firstName", "Prénom"],
    ["birthDate", "Date de naissance"], ["sex", "Sexe"], ["phones", "Téléphone(s)"], ["address", "Adresse"], ["postalCode", "Code postal"],
    ["communeName", "Commune"], ["inseeCode", "Code INSEE"], ["ald", "ALD"], ["css", "CSS / C2S"], ["nir", "NIR"], ["hasMt", "A un médecin traitant"],
    ["optOut", "Opposition"], ["consentContact", "Consentement à être contacté"], ["relationRpps", "RPPS du médecin consulté"], ["relationVisits", "Nombre de consultations"],
  ],
  gps: [
    ["rpps", "RPPS"], ["lastName", "Nom"], ["firstName", "Prénom"], ["address", "Adresse"], ["postalCode", "Code postal"], ["communeName", "Commune"],
    ["inseeCode", "Code INSEE"], ["lat", "Latitude"], ["lng", "Longitude"], ["team", "MSP / équipe"], ["acceptsNew", "Accepte de nouveaux patients"],
    ["capacity", "Places"], ["acceptsAld", "Accepte les ALD"], ["endOfActivity", "Fin d'activité"], ["birthYear", "Année de naissance"], ["email", "E-mail"],
  ],
};

/** « Date de naissance » for birthDate; the field's own name when the console does not know it. */
export const fieldLabel = (kind: ImportKind, field: string) => IMPORT_FIELDS[kind].find(([f]) => f === field)?.[1] ?? field;
