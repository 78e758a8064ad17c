// Small inline SVG charts: readable, accessible (a table of the same figures for screen readers), no library.
import { OUTCOME_LABEL } from "../agent/types.ts";

export function FunnelBars({ stages, counts, label }: { stages: { key: string; label: string }[]; counts: Record<string, number>; label: string }) {
  const top = Math.max(1, counts[stages[0]?.key] ?? 0);
  return (
    <table className="funnel" aria-label={label}>
      <tbody>
        {stages.map((s, i) => {
          const n = counts[s.key] ?? 0;
          const prev = i ? counts[stages[i - 1].key] ?? 0 : null;
          return (
            <tr key={s.key}>
              <th scope="row">{s.label}</th>
              <td className="funnel-bar"><span style={{ width: `${(100 * n) / top}%` }} /></td>
              <td className="num">{n}</td>
              <td className="num muted">{prev ? `${Math.round((100 * n) / prev)} %` : ""}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

// One colour per outcome, told apart at a glance (and by the legend's names).
const COLORS: Record<string, string> = {
  reached: "#1b7a3a", no_answer: "#9aa5b1", busy: "#c77d00", voicemail: "#5b6fd6", callback: "#0a7d8c", refused: "#b3261e", interrupted: "#555",
  has_mt: "#7a4fb5", wrong_number: "#e36414", moved: "#8d6e63", deceased: "#222", opposed: "#d81b60", language_barrier: "#f2b705", other: "#6c9a8b",
};

export function OutcomeChart({ rows }: { rows: { hour: number; outcome: string; n: number }[] }) {
  if (!rows.length) return <p>Aucun résultat aujourd'hui.</p>;
  const hours = [...new Set(rows.map((r) => r.hour))].sort((a, b) => a - b);
  const from = Math.min(8, hours[0]);
  const to = Math.max(20, hours[hours.length - 1]);
  const span = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const totals = new Map(span.map((h) => [h, rows.filter((r) => r.hour === h).reduce((s, r) => s + r.n, 0)]));
  const max = Math.max(1, ...totals.values());
  const outcomes = [...new Set(rows.map((r) => r.outcome))];
  const w = 24;
  const h = 120;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${span.length * w} ${h + 16}`} role="img" aria-label="Résultats des appels par heure, aujourd'hui">
        {span.map((hour, i) => {
          let y = h;
          return (
            <g key={hour}>
              {outcomes.map((o) => {
                const n = rows.find((r) => r.hour === hour && r.outcome === o)?.n ?? 0;
                const bar = (n / max) * h;
                y -= bar;
                return n ? <rect key={o} x={i * w + 3} y={y} width={w - 6} height={bar} fill={COLORS[o] ?? "#7a4fb5"}><title>{`${hour} h — ${OUTCOME_LABEL[o] ?? o} : ${n}`}</title></rect> : null;
              })}
              <text x={i * w + w / 2} y={h + 13} textAnchor="middle" fontSize="9">{hour}h</text>
            </g>
          );
        })}
      </svg>
      <figcaption className="legend">{outcomes.map((o) => <span key={o}><i style={{ background: COLORS[o] ?? "#7a4fb5" }} /> {OUTCOME_LABEL[o] ?? o}</span>)}</figcaption>
    </figure>
  );
}
