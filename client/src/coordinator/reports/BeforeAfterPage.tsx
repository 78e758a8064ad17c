import { useState } from "react";
import { Field } from "../../shared/Field.tsx";
import { useApi } from "../../shared/useApi.ts";
import { exportHref, fmt, frDate } from "./format.ts";
import type { BeforeAfter } from "./types.ts";

const iso = (d: Date) => d.toISOString().slice(0, 10);

export function BeforeAfterPage() {
  const now = new Date();
  const [from, setFrom] = useState(iso(new Date(Date.UTC(now.getUTCFullYear(), 0, 1))));
  const [to, setTo] = useState(iso(now));
  const valid = from && to && from <= to;
  const { data: b, error } = useApi<BeforeAfter>(valid ? `/reports/before-after?from=${from}&to=${to}` : null);
  const delta = (after: number, before: number) => (after - before > 0 ? `+${fmt(after - before)}` : fmt(after - before));
  return (
    <article className="report" aria-labelledby="ba-title">
      <header className="report-head">
        <h2 id="ba-title">Bilan avant / après</h2>
        <p className="report-meta">Patients orientés, orientations confirmées et médecins traitants déclarés sur la période choisie, comparés à la période de même durée qui la précède.</p>
        <form className="inline-form" onSubmit={(e) => e.preventDefault()}>
          <Field label="Du">{(id) => <input id={id} type="date" value={from} onChange={(e) => setFrom(e.target.value)} />}</Field>
          <Field label="Au">{(id) => <input id={id} type="date" value={to} onChange={(e) => setTo(e.target.value)} />}</Field>
          {valid && <a className="button secondary-link" href={exportHref("/reports/before-after/export", { from, to, format: "xlsx" })} download>Exporter (XLSX)</a>}
          {valid && <a className="button secondary-link" href={exportHref("/reports/before-after/export", { from, to, format: "csv" })} download>Exporter (CSV)</a>}
          <button type="button" className="secondary" onClick={() => window.print()}>Imprimer</button>
        </form>
        {!valid && <p role="alert" className="error">La fin de la période doit suivre son début.</p>}
      </header>
      {error && <p role="alert" className="error">{error}</p>}
      {b && (
        <section className="panel" aria-labelledby="ba-table">
          <h3 id="ba-table">Du {frDate(b.period.from)} au {frDate(b.period.to)} ({b.period.days} jours), comparé au {frDate(b.previous.from)} – {frDate(b.previous.to)}</h3>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Tableau (faire défiler)">
            <table>
              <thead>
                <tr><th scope="col" rowSpan={2}>Organisation ou équipe</th>{b.measures.map((m) => <th scope="colgroup" colSpan={3} key={m.key} className="num">{m.label}</th>)}</tr>
                <tr>{b.measures.map((m) => [<th scope="col" className="num" key={`${m.key}b`}>avant</th>, <th scope="col" className="num" key={`${m.key}a`}>période</th>, <th scope="col" className="num" key={`${m.key}d`}>écart</th>])}</tr>
              </thead>
              <tbody>
                <tr className="total"><th scope="row">Organisation (total)</th>{b.measures.map((m) => [<td className="num" key={`${m.key}b`}>{fmt(b.total.before[m.key])}</td>, <td className="num" key={`${m.key}a`}>{fmt(b.total.after[m.key])}</td>, <td className="num" key={`${m.key}d`}>{delta(b.total.after[m.key], b.total.before[m.key])}</td>])}</tr>
                {b.rows.map((r) => <tr key={r.teamId ?? "solo"}><th scope="row">{r.label}</th>{b.measures.map((m) => [<td className="num" key={`${m.key}b`}>{fmt(r.before[m.key])}</td>, <td className="num" key={`${m.key}a`}>{fmt(r.after[m.key])}</td>, <td className="num" key={`${m.key}d`}>{delta(r.after[m.key], r.before[m.key])}</td>])}</tr>)}
              </tbody>
            </table>
          </div>
          {!b.rows.length && <p>Aucune orientation sur ces deux périodes.</p>}
          <p className="hint">Un patient orienté deux fois dans la période (vers une équipe puis un médecin) compte une fois dans le total de l'organisation.</p>
        </section>
      )}
    </article>
  );
}
