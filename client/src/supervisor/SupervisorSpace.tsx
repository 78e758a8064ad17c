// Supervision: every agent's state, time in state and call in progress, live.
import { useCallback, useEffect, useState } from "react";
import type { Role } from "../../../shared-types/events.ts";
import { CampaignList } from "../shared/CampaignList.tsx";
import { ROLE_LABELS } from "../shared/labels.ts";
import { Layout } from "../shared/Layout.tsx";
import { connectLive } from "../shared/socket.ts";
import { api } from "../shared/api.ts";
import { CALL_STATUS_LABEL, OUTCOME_LABEL, PAUSE_LABEL, STATUS_LABEL, type AgentState } from "../agent/types.ts";
import { useElapsed } from "../agent/useElapsed.ts";

interface AgentRow {
  userId: string; name: string; status: AgentState["status"]; pauseReason: string | null; since: string;
  attemptId: string | null; callStatus: string | null; callsToday: number; reachedToday: number;
}

function Since({ at }: { at: string }) {
  return <>{useElapsed(at)}</>;
}

export default function SupervisorSpace() {
  const [counts, setCounts] = useState<Record<Role, number> | null>(null);
  const [agents, setAgents] = useState<AgentRow[]>([]);
  const [events, setEvents] = useState<string[]>([]);
  const reload = useCallback(() => void api<AgentRow[]>("GET", "/supervision/agents").then(setAgents).catch(() => undefined), []);

  useEffect(() => {
    reload();
    const live = connectLive();
    const onCounts = (p: { counts: Record<Role, number> }) => setCounts(p.counts);
    const onAgent = (e: { userId: string; status: AgentState["status"]; pauseReason: string | null; since: string }) =>
      setAgents((list) => list.map((a) => (a.userId === e.userId ? { ...a, status: e.status, pauseReason: e.pauseReason, since: e.since } : a)));
    const onCall = (e: { agentId: string; attemptId: string; callStatus: string }) =>
      setAgents((list) => list.map((a) => (a.userId === e.agentId ? { ...a, attemptId: e.attemptId, callStatus: e.callStatus } : a)));
    const onOutcome = (e: { agentId: string; outcome: string; at: string }) => {
      setEvents((list) => [`${new Date(e.at).toLocaleTimeString("fr-FR")} — ${OUTCOME_LABEL[e.outcome] ?? e.outcome}`, ...list].slice(0, 20));
      reload();
    };
    live.on("presence:counts", onCounts);
    live.on("agent:state", onAgent);
    live.on("call:state", onCall);
    live.on("attempt:outcome", onOutcome);
    live.on("connect", reload);
    return () => {
      live.off("presence:counts", onCounts);
      live.off("agent:state", onAgent);
      live.off("call:state", onCall);
      live.off("attempt:outcome", onOutcome);
      live.off("connect", reload);
    };
  }, [reload]);

  return (
    <Layout title="Supervision">
      <section className="panel" aria-labelledby="agents-title">
        <h2 id="agents-title">Agents en direct</h2>
        <table>
          <caption className="sr-only">États des agents</caption>
          <thead>
            <tr><th scope="col">Agent</th><th scope="col">État</th><th scope="col">Depuis</th><th scope="col">Appel en cours</th><th scope="col">Appels aujourd'hui</th><th scope="col">Joints</th></tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr key={a.userId} data-agent={a.name}>
                <td>{a.name}</td>
                <td>{STATUS_LABEL[a.status]}{a.pauseReason ? ` (${PAUSE_LABEL[a.pauseReason] ?? a.pauseReason})` : ""}</td>
                <td><Since at={a.since} /></td>
                <td>{a.attemptId && a.callStatus ? CALL_STATUS_LABEL[a.callStatus] ?? a.callStatus : "—"}</td>
                <td>{a.callsToday}</td>
                <td>{a.reachedToday}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!agents.length && <p>Aucun agent dans l'organisation.</p>}
      </section>
      <div className="agent-grid">
        <section className="panel" aria-labelledby="presence-title">
          <h2 id="presence-title">Utilisateurs connectés</h2>
          {counts ? (
            <ul className="counts">
              {(Object.keys(counts) as Role[]).map((r) => (
                <li key={r}><strong>{counts[r]}</strong> {ROLE_LABELS[r].toLowerCase()}{counts[r] > 1 ? "s" : ""}</li>
              ))}
            </ul>
          ) : <p>En attente des données en direct…</p>}
        </section>
        <section className="panel" aria-labelledby="outcomes-title">
          <h2 id="outcomes-title">Derniers résultats</h2>
          {events.length ? <ul aria-live="polite">{events.map((e, i) => <li key={i}>{e}</li>)}</ul> : <p>Aucun appel terminé depuis l'ouverture de la page.</p>}
        </section>
      </div>
      <CampaignList />
    </Layout>
  );
}
