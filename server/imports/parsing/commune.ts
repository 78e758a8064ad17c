// What the row parsers need to place a patient or a GP: a resolver from whatever the listing
// gives (INSEE code, or postal code + commune name) to a commune INSEE code. Injected, so the
// parsers stay pure; server/geo/communes.ts provides the real one.

export interface CommuneQuery {
  inseeCode?: string;
  postalCode?: string;
  communeName?: string;
}

/** The commune, its point when known (to check a GP's coordinates against), the query's postal code when it is the
 * commune's (null or absent: none to store), and what the query said that it contradicts. */
export type CommuneResolution =
  | { inseeCode: string; name?: string; lat?: number | null; lng?: number | null; postalCode?: string | null; remark?: string }
  | { error: string };

export type CommuneResolver = (query: CommuneQuery) => CommuneResolution;
