import { useParams } from "react-router";
import { CAMPAIGN_STATUS_LABELS, CAMPAIGN_TYPE_LABELS, formatDateTime } from "../../shared/labels.ts";
import { useApi } from "../../shared/useApi.ts";
import { useSession } from "../../shared/session.tsx";
import { HBars, VBars } from "./charts.tsx";
import { exportHref, fmt, minutes, pct } from "./format.ts";
import type { CampaignReport } from "./types.ts";

export function CampaignReportPage() {
  const { campaignId } = useParams();
  const coordinator = useSession().user?.role === "coordinator"; // the patients' names are the coordinators' only
  const { data: r, error } = useApi<CampaignReport>(campaignId ? `/campaigns/${campaignId}/report` : null);
  if (error) return <p role="alert" className="error">{error}</p>;
  if (!r) return <p>Chargement du rapport…</p>;
  const imported = r.funnel.stages[0].count;
  // Hours in one run, from 9 h to 20 h and stretched to the first and last hour with calls (no gap in the axis).
  const called = r.reachByTime.byHour.filter((h) => h.calls > 0).map((h) => h.hour);
  const [firstHour, lastHour] = [Math.min(9, ...called), Math.max(20, ...called)];
  const hours = r.reachByTime.byHour.filter((h) => h.hour >= firstHour && h.hour <= lastHour);
  return (
    <article className="report" aria-labelledby="report-title">
      <header className="report-head">
        <h2 id="report-title">Rapport — {r.campaign.name}</h2>
        <p className="report-meta">
          {CAMPAIGN_TYPE_LABELS[r.campaign.type] ?? r.campaign.type} · {CAMPAIGN_STATUS_LABELS[r.campaign.status] ?? r.campaign.status} · édité le {formatDateTime(r.generatedAt)}
        </p>
        <p className="report-actions">
          <button type="button" className="secondary" onClick={() => window.print()}>Imprimer ou enregistrer en PDF</button>
          <a className="button secondary-link" href={exportHref(`/campaigns/${r.campaign.id}/report/export`, { format: "xlsx" })} download>Exporter le rapport (XLSX)</a>
          <a className="button secondary-link" href={exportHref(`/campaigns/${r.campaign.id}/report/export`, { format: "csv", table: "funnel" })} download>Entonnoir (CSV)</a>
          {coordinator && <a className="button secondary-link" href={exportHref(`/campaigns/${r.campaign.id}/report/orientations`, { format: "xlsx" })} download>Patients orientés, pour les médecins (XLSX)</a>}
        </p>
        {coordinator && <p className="hint">La liste des patients orientés contient leur identité : chaque export est journalisé.</p>}
      </header>

      <section className="panel" aria-labelledby="funnel-title">
        <h3 id="funnel-title">Entonnoir de la campagne</h3>
        <HBars title="Entonnoir : patients à chaque étape" max={imported} bars={r.funnel.stages.map((s) => ({ label: s.label, value: s.count, text: `${fmt(s.count)} (${pct(s.ofImported)})` }))} />
        <table>
          <caption className="sr-only">Entonnoir</caption>
          <thead><tr><th scope="col">Étape</th><th scope="col" className="num">Patients</th><th scope="col" className="num">de l'étape précédente</th><th scope="col" className="num">des importés</th></tr></thead>
          <tbody>{r.funnel.stages.map((s) => <tr key={s.stage}><th scope="row">{s.label}</th><td className="num">{fmt(s.count)}</td><td className="num">{pct(s.ofPrevious)}</td><td className="num">{pct(s.ofImported)}</td></tr>)}</tbody>
        </table>
        <p className="hint">{r.funnel.note}</p>
      </section>

      <div className="report-grid">
        <section className="panel" aria-labelledby="hours-title">
          <h3 id="hours-title">Taux de joignabilité par heure (heure locale du patient)</h3>
          <VBars title="Taux de joignabilité par heure" bars={hours.map((h) => ({ label: `${h.hour} h`, value: h.rate ?? 0, text: h.calls ? undefined : "", muted: !h.calls }))} />
          <p className="hint">Part des appels aboutis où le patient a été joint ; une heure sans appel reste vide.</p>
        </section>
        <section className="panel" aria-labelledby="days-title">
          <h3 id="days-title">Taux de joignabilité par jour</h3>
          <VBars barWidth={64} title="Taux de joignabilité par jour de la semaine" bars={r.reachByTime.byWeekday.map((d) => ({ label: d.label.slice(0, 3), value: d.rate ?? 0, text: d.calls ? undefined : "", muted: !d.calls }))} />
          <table>
            <caption className="sr-only">Joignabilité par jour</caption>
            <thead><tr><th scope="col">Jour</th><th scope="col" className="num">Appels</th><th scope="col" className="num">Joints</th><th scope="col" className="num">Taux</th></tr></thead>
            <tbody>{r.reachByTime.byWeekday.filter((d) => d.calls).map((d) => <tr key={d.weekday}><th scope="row">{d.label}</th><td className="num">{fmt(d.calls)}</td><td className="num">{fmt(d.reached)}</td><td className="num">{pct(d.rate)}</td></tr>)}</tbody>
          </table>
        </section>
      </div>

      <section className="panel" aria-labelledby="attempts-title">
        <h3 id="attempts-title">Résultats par tentative</h3>
        {r.outcomesByAttempt.rows.length ? (
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Tableau (faire défiler)">
            <table>
              <thead><tr><th scope="col">Tentative</th><th scope="col" className="num">Appels</th>{r.outcomesByAttempt.outcomes.map((o) => <th scope="col" className="num" key={o.outcome}>{o.label}</th>)}</tr></thead>
              <tbody>{r.outcomesByAttempt.rows.map((row) => (
                <tr key={row.attemptNumber}><th scope="row">{row.attemptNumber}<sup>{row.attemptNumber === 1 ? "re" : "e"}</sup></th><td className="num">{fmt(row.total)}</td>{r.outcomesByAttempt.outcomes.map((o) => <td className="num" key={o.outcome}>{fmt(row.counts[o.outcome])}</td>)}</tr>
              ))}</tbody>
            </table>
          </div>
        ) : <p>Aucun appel terminé pour le moment.</p>}
      </section>

      <section className="panel" aria-labelledby="agents-title">
        <h3 id="agents-title">Par agent</h3>
        {r.agents.length ? (
          <table>
            <thead><tr><th scope="col">Agent</th><th scope="col" className="num">Appels</th><th scope="col" className="num">Joints</th><th scope="col" className="num">Taux</th><th scope="col" className="num">Conversation</th><th scope="col" className="num">Traitement</th><th scope="col" className="num">Occupation</th><th scope="col" className="num">Orientations</th></tr></thead>
            <tbody>{r.agents.map((a) => <tr key={a.agentId}><th scope="row">{a.name}</th><td className="num">{fmt(a.calls)}</td><td className="num">{fmt(a.reached)}</td><td className="num">{pct(a.reachRate)}</td><td className="num">{minutes(a.talkSeconds)}</td><td className="num">{minutes(a.handleSeconds)}</td><td className="num">{pct(a.occupancy)}</td><td className="num">{fmt(a.oriented)}</td></tr>)}</tbody>
          </table>
        ) : <p>Aucun appel pour le moment.</p>}
        <p className="hint">Traitement : de la préparation de l'appel à la saisie du résultat. Occupation : temps de traitement rapporté à la durée de travail de chaque journée (du premier appel au dernier résultat).</p>
      </section>

      <section className="panel" aria-labelledby="holders-title">
        <h3 id="holders-title">Par médecin ou équipe</h3>
        {r.holders.length ? (
          <table>
            <thead><tr><th scope="col">Médecin ou équipe</th><th scope="col">Commune</th><th scope="col" className="num">Proposés</th><th scope="col" className="num">Confirmés</th><th scope="col" className="num">Refusés</th><th scope="col" className="num">Expirés</th><th scope="col" className="num">En attente</th><th scope="col" className="num">Places prises / capacité</th></tr></thead>
            <tbody>{r.holders.map((h) => <tr key={h.holderId}><th scope="row">{h.name} <small>{h.kind === "team" ? "(MSP)" : h.rpps}</small></th><td>{h.communeName ?? h.inseeCode ?? "—"}</td><td className="num">{fmt(h.proposed)}</td><td className="num">{fmt(h.confirmed)}</td><td className="num">{fmt(h.declined)}</td><td className="num">{fmt(h.expired)}</td><td className="num">{fmt(h.waiting)}</td><td className="num">{fmt(h.taken)} / {fmt(h.capacity)}</td></tr>)}</tbody>
          </table>
        ) : <p>Aucune orientation pour le moment.</p>}
      </section>

      <section className="panel" aria-labelledby="communes-title">
        <h3 id="communes-title">Par commune</h3>
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Tableau (faire défiler)">
          <table>
            <thead><tr><th scope="col">Commune</th>{r.communes.stages.map((s) => <th scope="col" className="num" key={s.key} title={s.label}>{s.short}</th>)}</tr></thead>
            <tbody>
              {r.communes.rows.map((c) => <tr key={c.inseeCode ?? "?"}><th scope="row">{c.communeName ?? c.inseeCode} <small>{c.inseeCode}</small></th>{r.communes.stages.map((s) => <td className={c.cells[s.key].count === null ? "num suppressed" : "num"} key={s.key}>{c.cells[s.key].label}</td>)}</tr>)}
              <tr className="total"><th scope="row">Total</th>{r.communes.stages.map((s) => <td className="num" key={s.key}>{r.communes.totals[s.key].label}</td>)}</tr>
            </tbody>
          </table>
        </div>
        <p className="hint">Secret statistique : les effectifs de 1 à 4 sont affichés « &lt; 5 » ; « masqué » cache une seconde case qui permettrait de les retrouver par différence avec le total.</p>
      </section>

      <section className="panel" aria-labelledby="delay-title">
        <h3 id="delay-title">Délai entre l'import et l'orientation</h3>
        {r.timeToOrientation.count ? (
          <>
            <p>Médiane : <strong>{fmt(r.timeToOrientation.medianDays)} jour(s)</strong> (la moitié des patients orientés l'ont été entre {fmt(r.timeToOrientation.p25Days)} et {fmt(r.timeToOrientation.p75Days)} jours ; 9 sur 10 {r.timeToOrientation.p90Days === 0 ? "le jour même" : <>en {fmt(r.timeToOrientation.p90Days)} jour(s) au plus</>}), sur {fmt(r.timeToOrientation.count)} patients orientés.</p>
            <HBars title="Patients orientés selon le délai depuis l'import" bars={r.timeToOrientation.buckets.map((b) => ({ label: b.label, value: b.count }))} />
          </>
        ) : <p>Aucun patient orienté pour le moment.</p>}
      </section>
    </article>
  );
}
