export const fmt = (n: number | null | undefined) => (n === null || n === undefined ? "—" : n.toLocaleString("fr-FR"));
export const pct = (n: number | null | undefined) => (n === null || n === undefined ? "—" : `${n.toLocaleString("fr-FR")} %`);
export const minutes = (s: number) => `${Math.round(s / 60).toLocaleString("fr-FR")} min`;
export { frDate } from "../../shared/labels.ts";

/** Links to the exports (a plain download: the session cookie goes with it). */
export function exportHref(path: string, params: Record<string, string | undefined>) {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
  return `/api${path}?${q}`;
}
