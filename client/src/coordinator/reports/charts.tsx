// Small inline SVG charts: horizontal bars (funnel, histograms) and vertical bars (by hour, by day).
// Every chart repeats its numbers as text; the tables next to them carry the same data for screen readers.

const fmt = (n: number) => n.toLocaleString("fr-FR");

export interface Bar {
  label: string;
  value: number;
  /** Text shown after the bar (defaults to the value). */
  text?: string;
}

/** Horizontal bars, longest = full width. */
export function HBars({ bars, title, max }: { bars: Bar[]; title: string; max?: number }) {
  const top = Math.max(max ?? 0, ...bars.map((b) => b.value), 1);
  const row = 30;
  const labelW = 250;
  const barW = 520;
  return (
    <svg className="chart" role="img" aria-label={title} viewBox={`0 0 ${labelW + barW + 270} ${bars.length * row + 6}`} width="100%">
      <title>{title}</title>
      {bars.map((b, i) => (
        <g key={b.label} transform={`translate(0 ${i * row + 3})`}>
          <text x={labelW - 8} y={row / 2 + 1} textAnchor="end" dominantBaseline="middle" className="chart-label">{b.label}</text>
          <rect x={labelW} y={4} width={Math.max(b.value ? 2 : 0, (barW * b.value) / top)} height={row - 8} className="chart-bar" rx={2} />
          <text x={labelW + Math.max(2, (barW * b.value) / top) + 8} y={row / 2 + 1} dominantBaseline="middle" className="chart-value">{b.text ?? fmt(b.value)}</text>
        </g>
      ))}
    </svg>
  );
}

/** Vertical bars with a label under each (hours, weekdays); `value` is a percentage here, `sub` the calls. */
export function VBars({ bars, title, unit = " %", max = 100, barWidth = 38 }: { bars: (Bar & { muted?: boolean })[]; title: string; unit?: string; max?: number; barWidth?: number }) {
  const w = barWidth;
  const h = 160;
  const top = Math.max(max, ...bars.map((b) => b.value), 1);
  return (
    <svg className="chart" role="img" aria-label={title} viewBox={`0 0 ${bars.length * w + 10} ${h + 46}`} width="100%">
      <title>{title}</title>
      <line x1={4} x2={bars.length * w + 6} y1={h + 14} y2={h + 14} className="chart-axis" />
      {bars.map((b, i) => {
        const bh = (h * b.value) / top;
        return (
          <g key={b.label} transform={`translate(${i * w + 6} 0)`}>
            <rect x={4} y={h + 14 - bh} width={w - 8} height={bh} className={b.muted ? "chart-bar muted" : "chart-bar"} rx={2} />
            {b.text !== "" && <text x={w / 2} y={h + 10 - bh} textAnchor="middle" className="chart-value small">{b.text ?? `${fmt(Math.round(b.value))}${unit}`}</text>}
            <text x={w / 2} y={h + 32} textAnchor="middle" className="chart-label small">{b.label}</text>
          </g>
        );
      })}
    </svg>
  );
}
