/** A listing row once validated and normalised: what the import stores. */
export interface PatientRow {
  line: number;
  externalId: string | null;
  nir: string | null;
  /** The name in use: the usage name, or the birth name when the row gives no usage name. */
  lastName: string;
  /** False when the row gives no usage name (no such column, an empty cell): a known patient keeps theirs. */
  usageNameGiven: boolean;
  birthName: string | null;
  firstName: string | null;
  birthDate: string; // yyyy-mm-dd
  sex: string | null;
  phones: { e164: string; type: string; country: string | null }[];
  address: string | null;
  postalCode: string | null;
  inseeCode: string | null;
  /** The flags: null when the listing does not say (no such column, an unreadable cell): a known patient keeps
   * what was known, a new one is stored without. An empty cell in the column says no. */
  ald: boolean | null;
  css: boolean | null;
  hasMt: boolean | null;
  optOut: boolean;
  consentContact: boolean | null;
  relationRpps: string | null;
  relationVisits: number | null;
  /** What was dropped from the row and why (invalid second phone, invalid NIR…): the row stays; kept in its history. */
  notes: string[];
}

export interface Rejection {
  line: number;
  reason: string;
  cells: string[];
}
