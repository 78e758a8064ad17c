// Supervision, live: agents (state, time in state, call in progress, calls, reached, handle time,
// occupancy), calls in progress, each open campaign's funnel, outcomes per hour, capacity, communes,
// callbacks. Socket events refresh the board within a second; actions are logged on the server.
import { useCallback, useEffect, useRef, useState } from "react";
import type { Role } from "../../../shared-types/events.ts";
import { api, ApiError } from "../shared/api.ts";
import { formatTime, ROLE_LABELS } from "../shared/labels.ts";
import { Link } from "react-router";
import { Layout } from "../shared/Layout.tsx";
import { connectLive } from "../shared/socket.ts";
import { CALL_STATUS_LABEL, OUTCOME_LABEL, PAUSE_LABEL, STATUS_LABEL, type AgentState } from "../agent/types.ts";
import { formatDuration, useElapsed } from "../agent/useElapsed.ts";
import { CallbackTime } from "../agent/patientTime.tsx";
import { FunnelBars, OutcomeChart } from "./charts.tsx";

interface AgentRow {
  userId: string; name: string; status: AgentState["status"]; pauseReason: string | null; since: string;
  attemptId: string | null; callStatus: string | null; callSince: string | null; heldEnrolmentId: string | null; heldUntil: string | null; heldCampaign: string | null;
  callsToday: number; reachedToday: number; handleSeconds: number | null; occupancy: number | null;
}
type Funnel = Record<string, number>;
interface Board {
  at: string;
  agents: AgentRow[];
  campaigns: { id: string; name: string; status: "running" | "paused"; funnel: Funnel }[];
  stages: { key: string; label: string }[];
  outcomesByHour: { hour: number; outcome: string; n: number }[];
  capacity: { kind: "gp" | "team"; holders: number; open: number; placesLeft: number; full: number; taken: number }[];
  busiest: { kind: string; id: string; name: string; capacity: number; taken: number; acceptsNew: boolean }[];
  communes: { inseeCode: string | null; communeName: string | null; imported: number; called: number; reached: number; oriented: number; confirmed: number }[];
  callbacks: { enrolmentId: string; callbackAt: string; priorityLabel: string; campaign: string; callbackAgentId: string | null; agentName: string | null; timeZone: string }[];
}

function Since({ at }: { at: string }) {
  return <>{useElapsed(at)}</>;
}
const minutes = (s: number | null) => (s === null ? "—" : formatDuration(s));
const percent = (x: number | null) => (x === null ? "—" : `${Math.round(x * 100)} %`);

export default function SupervisorSpace() {
  const [counts, setCounts] = useState<Record<Role, number> | null>(null);
  const [board, setBoard] = useState<Board | null>(null);
  const [events, setEvents] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** « Libérer le patient » asks first: the agent's patient (and call) as the board showed them when clicked. */
  const [releasing, setReleasing] = useState<{ name: string; enrolmentId: string; inCall: boolean } | null>(null);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  // One request at a time: a reload asked for while one runs is made once, when it ends.
  const loading = useRef<"idle" | "busy" | "again">("idle");
  const reload = useCallback(() => {
    if (loading.current !== "idle") {
      loading.current = "again";
      return;
    }
    loading.current = "busy";
    void api<Board>("GET", "/supervision/board").then(setBoard).catch(() => undefined).finally(() => {
      const again = loading.current === "again";
      loading.current = "idle";
      if (again) reload();
    });
  }, []);
  // Events come in bursts: one fetch per 300 ms at most, so the board is fresh within a second.
  const soon = useCallback(() => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      reload();
    }, 300);
  }, [reload]);

  useEffect(() => {
    reload();
    const live = connectLive();
    const onCounts = (p: { counts: Record<Role, number> }) => setCounts(p.counts);
    const onAgent = (e: { userId: string; status: AgentState["status"]; pauseReason: string | null; since: string }) => {
      setBoard((b) => b && { ...b, agents: b.agents.map((a) => (a.userId === e.userId ? { ...a, status: e.status, pauseReason: e.pauseReason, since: e.since } : a)) });
      soon();
    };
    const onCall = (e: { agentId: string; attemptId: string; callStatus: string }) => {
      setBoard((b) => b && { ...b, agents: b.agents.map((a) => (a.userId === e.agentId ? { ...a, attemptId: e.attemptId, callStatus: e.callStatus } : a)) });
      soon();
    };
    const onOutcome = (e: { agentId: string; outcome: string; at: string }) => {
      setEvents((list) => [`${formatTime(e.at)} — ${OUTCOME_LABEL[e.outcome] ?? e.outcome}`, ...list].slice(0, 20));
      soon();
    };
    live.on("presence:counts", onCounts);
    live.on("agent:state", onAgent);
    live.on("call:state", onCall);
    live.on("attempt:outcome", onOutcome);
    live.on("campaign:status", soon);
    live.on("board:stale", soon); // a consent, a booking, a GP's answer or capacity, a callback given to another agent
    live.on("connect", reload);
    // What no event announces (the time passing: reservations expiring, callbacks coming due) comes with a slower refresh.
    const every = setInterval(reload, 15_000);
    return () => {
      live.off("presence:counts", onCounts);
      live.off("agent:state", onAgent);
      live.off("call:state", onCall);
      live.off("attempt:outcome", onOutcome);
      live.off("campaign:status", soon);
      live.off("board:stale", soon);
      live.off("connect", reload);
      clearInterval(every);
    };
  }, [reload, soon]);

  const act = async (what: string, fn: () => Promise<unknown>) => {
    setError(null);
    setNotice(null);
    try {
      await fn();
      setNotice(what);
      reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Action impossible.");
    }
  };
  const agents = board?.agents ?? [];
  const inCall = agents.filter((a) => a.attemptId);

  return (
    <Layout title="Supervision">
      <p><Link to="/supervision/rapports">Rapports des campagnes, diagnostic territorial, bilan avant / après →</Link></p>
      {error && <p role="alert" className="error">{error}</p>}
      {notice && <p role="status" className="notice">{notice}</p>}
      <section className="panel" aria-labelledby="agents-title">
        <h2 id="agents-title">Agents en direct</h2>
        <div className="table-scroll" tabIndex={0}>
          <table>
            <caption className="sr-only">États des agents</caption>
            <thead>
              <tr><th scope="col">Agent</th><th scope="col">État</th><th scope="col">Depuis</th><th scope="col">Appel en cours</th><th scope="col">Appels aujourd'hui</th><th scope="col">Joints</th><th scope="col">Durée moyenne</th><th scope="col">Occupation</th><th scope="col">Actions</th></tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr key={a.userId} data-agent={a.name}>
                  <td>{a.name}</td>
                  <td>{STATUS_LABEL[a.status]}{a.pauseReason ? ` (${PAUSE_LABEL[a.pauseReason] ?? a.pauseReason})` : ""}</td>
                  <td><Since at={a.since} /></td>
                  <td>{a.attemptId && a.callStatus ? <>{CALL_STATUS_LABEL[a.callStatus] ?? a.callStatus}{a.callSince ? <> — <Since at={a.callSince} /></> : null}</> : a.heldEnrolmentId ? "patient en attente d'appel" : "—"}</td>
                  <td>{a.callsToday}</td>
                  <td>{a.reachedToday}</td>
                  <td>{minutes(a.handleSeconds)}</td>
                  <td>{percent(a.occupancy)}</td>
                  <td>
                    {a.status !== "offline" && !(a.status === "paused" && a.pauseReason === "supervisor") && (
                      // during a call the pause waits for its outcome (the server refuses it): « Libérer le patient » ends the call
                      <button type="button" className="secondary small" disabled={Boolean(a.attemptId)} title={a.attemptId ? "En appel : attendez la fin de l'appel, ou libérez le patient." : undefined}
                        onClick={() => act(`${a.name} est en pause.`, () => api("POST", `/supervision/agents/${a.userId}/pause`))}>Imposer une pause</button>
                    )}{" "}
                    {a.heldEnrolmentId && (
                      <button type="button" className="secondary small" onClick={() => setReleasing({ name: a.name, enrolmentId: a.heldEnrolmentId!, inCall: Boolean(a.attemptId) })}>Libérer le patient…</button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {releasing && (
          <div role="alertdialog" aria-labelledby="release-title" aria-describedby="release-text" className="confirm"
            onKeyDown={(e) => e.key === "Escape" && setReleasing(null)}>
            <p id="release-title"><strong>Libérer le patient tenu par {releasing.name} ?</strong></p>
            <p id="release-text">
              {releasing.inCall
                ? `L'appel en cours se termine et il est noté « interrompu » : ${releasing.name} n'en saisira pas le résultat.`
                : `${releasing.name} ne l'a pas encore appelé : aucun appel n'est interrompu.`}
              {` Le patient revient dans la file ; ${releasing.name} passe en « Pause imposée ».`}
            </p>
            <div className="inline-form">
              <button type="button" className="danger" onClick={() => {
                const r = releasing;
                setReleasing(null);
                void act(`Patient tenu par ${r.name} libéré : il revient dans la file.`, () => api("POST", `/supervision/holds/${r.enrolmentId}/release`));
              }}>Libérer le patient</button>
              <button type="button" className="secondary" autoFocus onClick={() => setReleasing(null)}>Annuler</button>
            </div>
          </div>
        )}
        {board && !agents.length && <p>Aucun agent dans l'organisation.</p>}
        <p><strong>{inCall.length}</strong> appel{inCall.length > 1 ? "s" : ""} en cours{board ? <small> — mis à jour à {formatTime(board.at)}</small> : null}</p>
      </section>

      <section className="panel" aria-labelledby="funnel-title">
        <h2 id="funnel-title">Campagnes en cours</h2>
        {!board?.campaigns.length ? <p>Aucune campagne en cours ou en pause.</p> : board.campaigns.map((c) => (
          <article key={c.id} className="campaign-live">
            <h3>{c.name} <small>— {c.status === "running" ? "en cours" : "en pause"}</small></h3>
            <div className="inline-form">
              {c.status === "running"
                ? <button type="button" className="secondary small" onClick={() => act(`Campagne « ${c.name} » en pause.`, () => api("POST", `/campaigns/${c.id}/status`, { status: "paused" }))}>Mettre en pause</button>
                : <button type="button" className="small" onClick={() => act(`Campagne « ${c.name} » reprise.`, () => api("POST", `/campaigns/${c.id}/status`, { status: "running" }))}>Reprendre</button>}
            </div>
            <FunnelBars stages={board.stages} counts={c.funnel} label={`Entonnoir de la campagne ${c.name}`} />
          </article>
        ))}
      </section>

      <div className="agent-grid">
        <section className="panel" aria-labelledby="hours-title">
          <h2 id="hours-title">Résultats par heure (aujourd'hui)</h2>
          {board && <OutcomeChart rows={board.outcomesByHour} />}
        </section>
        <section className="panel" aria-labelledby="outcomes-title">
          <h2 id="outcomes-title">Derniers résultats</h2>
          {events.length ? <ul aria-live="polite">{events.map((e, i) => <li key={i}>{e}</li>)}</ul> : <p>Aucun appel terminé depuis l'ouverture de la page.</p>}
          <h3>Utilisateurs connectés</h3>
          {counts ? (
            <ul className="counts">
              {(Object.keys(counts) as Role[]).map((r) => <li key={r}><strong>{counts[r]}</strong> {ROLE_LABELS[r].toLowerCase()}{counts[r] > 1 ? "s" : ""}</li>)}
            </ul>
          ) : <p>En attente des données en direct…</p>}
        </section>
        <section className="panel" aria-labelledby="capacity-title">
          <h2 id="capacity-title">Capacité des médecins et équipes</h2>
          {board?.capacity.length ? (
            <dl className="counts-grid">
              {board.capacity.map((c) => (
                <div key={c.kind}><dt>{c.kind === "team" ? "Équipes (MSP)" : "Médecins seuls"} : places libres</dt><dd>{c.placesLeft}</dd><dt>{c.taken} {c.taken > 1 ? "prises" : "prise"} · {c.full} complet{c.full > 1 ? "s" : ""} · {c.open}/{c.holders} ouverts</dt></div>
              ))}
            </dl>
          ) : <p>Aucun médecin dans l'annuaire.</p>}
          {board?.busiest.length ? (
            <table>
              <caption>Les plus sollicités</caption>
              <thead><tr><th scope="col">Médecin ou équipe</th><th scope="col">Places prises</th><th scope="col">Capacité</th></tr></thead>
              <tbody>{board.busiest.map((b) => <tr key={b.id}><td>{b.name}</td><td>{b.taken}</td><td>{b.capacity}{b.acceptsNew ? "" : " (fermé)"}</td></tr>)}</tbody>
            </table>
          ) : null}
        </section>
        <section className="panel" aria-labelledby="communes-title">
          <h2 id="communes-title">Par commune</h2>
          {board?.communes.length ? (
            <div className="table-scroll" tabIndex={0} role="region" aria-label="Activité par commune (défilement)"><table className="compact">
              <caption className="sr-only">Activité par commune de résidence</caption>
              <thead><tr><th scope="col">Commune</th><th scope="col">Importés</th><th scope="col">Appelés</th><th scope="col">Joints</th><th scope="col">Orientés</th><th scope="col">Confirmés</th></tr></thead>
              <tbody>{board.communes.map((c) => <tr key={c.inseeCode ?? "?"}><td>{c.communeName ?? c.inseeCode ?? "inconnue"}</td><td>{c.imported}</td><td>{c.called}</td><td>{c.reached}</td><td>{c.oriented}</td><td>{c.confirmed}</td></tr>)}</tbody>
            </table></div>
          ) : <p>Aucun patient dans les campagnes en cours.</p>}
        </section>
      </div>

      <section className="panel" aria-labelledby="callbacks-title">
        <h2 id="callbacks-title">Rappels demandés</h2>
        {!board?.callbacks.length ? <p>Aucun rappel en attente.</p> : (
          <table>
            <caption className="sr-only">Rappels en attente</caption>
            <thead><tr><th scope="col">Rappel prévu</th><th scope="col">Campagne</th><th scope="col">Patient</th><th scope="col">Agent</th></tr></thead>
            <tbody>
              {board.callbacks.map((c) => (
                <tr key={c.enrolmentId}>
                  <td><CallbackTime at={c.callbackAt} zone={c.timeZone} /></td><td>{c.campaign}</td><td>{c.priorityLabel}</td>
                  <td>
                    <label className="sr-only" htmlFor={`cb-${c.enrolmentId}`}>Agent du rappel</label>
                    <select id={`cb-${c.enrolmentId}`} value={c.callbackAgentId ?? ""} onChange={(e) => act("Rappel confié.", () => api("POST", `/supervision/callbacks/${c.enrolmentId}/reassign`, { agentId: e.target.value || null }))}>
                      <option value="">Tous les agents</option>
                      {agents.map((a) => <option key={a.userId} value={a.userId}>{a.name}</option>)}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Layout>
  );
}
