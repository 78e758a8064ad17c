// Whether a point falls in France (mainland and Corsica, the overseas departments, Saint-Pierre-et-Miquelon): boxes a
// little wider than each territory, to catch coordinates swapped or typed wrong, not to draw borders.
const BOXES: [latMin: number, latMax: number, lngMin: number, lngMax: number][] = [
  [41.2, 51.2, -5.3, 9.7], // mainland and Corsica
  [15.8, 16.6, -61.9, -60.9], // Guadeloupe
  [14.3, 14.95, -61.3, -60.75], // Martinique
  [2.1, 5.85, -54.7, -51.5], // Guyane
  [-21.45, -20.85, 55.2, 55.85], // La Réunion
  [-13.1, -12.6, 44.95, 45.35], // Mayotte
  [46.7, 47.2, -56.5, -56.1], // Saint-Pierre-et-Miquelon
];

export function inFrance(lat: number, lng: number): boolean {
  return BOXES.some(([latMin, latMax, lngMin, lngMax]) => lat >= latMin && lat <= latMax && lng >= lngMin && lng <= lngMax);
}
