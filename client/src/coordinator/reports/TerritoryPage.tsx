import { useApi } from "../../shared/useApi.ts";
import { HBars } from "./charts.tsx";
import { exportHref, fmt, pct } from "./format.ts";
import type { Diagnosis, PatientKey } from "./types.ts";

const COLUMNS: { key: PatientKey; label: string }[] = [
  { key: "noMt", label: "Sans MT" },
  { key: "ald", label: "dont ALD" },
  { key: "css", label: "dont CSS" },
  { key: "age70", label: "dont 70 ans et +" },
];

export function TerritoryPage() {
  const { data: d, error } = useApi<Diagnosis>("/reports/territory");
  if (error) return <p role="alert" className="error">{error}</p>;
  if (!d) return <p>Chargement du diagnostic…</p>;
  const shown = d.communes.filter((c) => c.patients.noMt.count !== null);
  return (
    <article className="report" aria-labelledby="territory-title">
      <header className="report-head">
        <h2 id="territory-title">Diagnostic territorial</h2>
        <p className="report-meta">Patients de {d.minAge} ans et plus connus de l'organisation, sans médecin traitant déclaré (décès connus exclus), et médecins généralistes de l'annuaire.</p>
        <p className="report-actions">
          <button type="button" className="secondary" onClick={() => window.print()}>Imprimer ou enregistrer en PDF</button>
          <a className="button secondary-link" href={exportHref("/reports/territory/export", { format: "xlsx" })} download>Exporter (XLSX)</a>
          <a className="button secondary-link" href={exportHref("/reports/territory/export", { format: "csv", table: "communes" })} download>Exporter (CSV)</a>
        </p>
      </header>

      <dl className="counts-grid">
        <div><dt>Patients sans médecin traitant</dt><dd>{d.total.patients.noMt.label}</dd></div>
        <div><dt>dont en ALD</dt><dd>{d.total.patients.ald.label}</dd></div>
        <div><dt>dont 70 ans et plus</dt><dd>{d.total.patients.age70.label}</dd></div>
        <div><dt>Médecins ayant de la place</dt><dd>{fmt(d.total.withRoom)} / {fmt(d.total.gps)}</dd></div>
        <div><dt>Places disponibles</dt><dd>{fmt(d.total.places)}</dd></div>
        <div><dt>Cessations d'activité annoncées</dt><dd>{fmt(d.total.endingActivity)}</dd></div>
      </dl>

      {shown.length > 0 && (
        <section className="panel" aria-labelledby="territory-chart">
          <h3 id="territory-chart">Patients sans médecin traitant, par commune</h3>
          <HBars title="Patients sans médecin traitant par commune" bars={shown.map((c) => ({ label: c.name, value: c.patients.noMt.count!, text: `${fmt(c.patients.noMt.count)} (${pct(c.shares.noMt)} des habitants)` }))} />
          {shown.length < d.communes.length && <p className="hint">Les communes aux effectifs masqués (secret statistique) ne figurent pas sur le graphique.</p>}
        </section>
      )}

      <section className="panel" aria-labelledby="territory-table">
        <h3 id="territory-table">Par commune</h3>
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Tableau (faire défiler)">
          <table className="compact">
            <thead>
              <tr><th scope="col">Commune</th><th scope="col" className="num">Population</th>
                {COLUMNS.map((c) => <th scope="col" className="num" key={c.key}>{c.label}</th>)}
                <th scope="col" className="num">Médecins</th><th scope="col" className="num">avec places</th><th scope="col" className="num">Places</th><th scope="col" className="num">Cessations</th></tr>
            </thead>
            <tbody>
              {d.communes.map((c) => (
                <tr key={c.inseeCode}>
                  <th scope="row" className="commune">{c.name} <small>{c.inseeCode}</small></th>
                  <td className="num">{fmt(c.population)}</td>
                  {COLUMNS.map((k) => (
                    <td key={k.key} className={c.patients[k.key].count === null ? "num suppressed" : "num"}>
                      {c.patients[k.key].label}{c.shares[k.key] !== null && <small className="share"> {pct(c.shares[k.key])}</small>}
                    </td>
                  ))}
                  <td className="num">{fmt(c.gps)}</td><td className="num">{fmt(c.withRoom)}</td><td className="num">{fmt(c.places)}</td><td className="num">{fmt(c.endingActivity)}</td>
                </tr>
              ))}
              <tr className="total">
                <th scope="row">Territoire</th><td className="num">{fmt(d.total.population)}</td>
                {COLUMNS.map((k) => <td key={k.key} className="num">{d.total.patients[k.key].label}{d.total.shares[k.key] !== null && <small className="share"> {pct(d.total.shares[k.key])}</small>}</td>)}
                <td className="num">{fmt(d.total.gps)}</td><td className="num">{fmt(d.total.withRoom)}</td><td className="num">{fmt(d.total.places)}</td><td className="num">{fmt(d.total.endingActivity)}</td>
              </tr>
            </tbody>
          </table>
        </div>
        <p className="hint">Sans MT : patients de {d.minAge} ans et plus sans médecin traitant. Cessations : cessations d'activité annoncées. Pourcentages : part de la population de la commune. Secret statistique : effectifs de 1 à {d.threshold - 1} affichés « &lt; {d.threshold} », et « masqué » quand une case permettrait de les retrouver par différence.</p>
      </section>

      <section className="panel" aria-labelledby="ages-title">
        <h3 id="ages-title">Âge des médecins généralistes du territoire</h3>
        <table className="narrow">
          <thead><tr><th scope="col">Âge</th><th scope="col" className="num">Médecins</th></tr></thead>
          <tbody>{d.gpAges.map((a) => <tr key={a.band}><th scope="row">{a.name}</th><td className={a.count === null ? "num suppressed" : "num"}>{a.label}</td></tr>)}</tbody>
        </table>
      </section>
    </article>
  );
}
