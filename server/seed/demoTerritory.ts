// The demo CPTS's territory: Saint-Étienne and the Ondaine valley down to Saint-Just-Saint-Rambert (Loire).
// Its listing's patients live there; its GPs practise there and in two towns next to it.
export const DEMO_TERRITORY = ["42218", "42095", "42044", "42316", "42099", "42189", "42223", "42279"] as const;
