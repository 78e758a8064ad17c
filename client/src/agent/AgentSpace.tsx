// The agent's whole call on one screen: state, patient card, call controls, outcome, callbacks.
import { useCallback, useEffect, useRef, useState } from "react";
import type { CallStateEvent, CampaignStatusEvent } from "../../../shared-types/events.ts";
import { api, ApiError } from "../shared/api.ts";
import { formatDateTime } from "../shared/labels.ts";
import { Layout } from "../shared/Layout.tsx";
import { connectLive } from "../shared/socket.ts";
import { useApi } from "../shared/useApi.ts";
import { OutcomePanel, outcomeChosenHere, takeUnsentOutcome } from "./OutcomePanel.tsx";
import { CallbackTime, formatOnClock, PatientClock } from "./patientTime.tsx";
import { ProposalsPanel } from "./ProposalsPanel.tsx";
import { ScriptPanel } from "./ScriptPanel.tsx";
import { SoftphoneSlot } from "./SoftphoneSlot.tsx";
import { CALL_END_LABEL, CALL_STATUS_LABEL, OUTCOME_LABEL, PAUSE_LABEL, STATUS_LABEL, type AgentState, type NoPatient, type PatientCard, type StatusAnswer } from "./types.ts";
import { useElapsed } from "./useElapsed.ts";
import { useSession } from "../shared/session.tsx";
import { phoneTypeLabel, formatPhone } from "../../../shared-types/phoneTypes.ts";

const HEARTBEAT_MS = 20_000;

const SUPERVISOR_PAUSED = "La supervision vous a mis en pause.";
const SUPERVISOR_RELEASED = "La supervision a repris votre patient.";
const SUPERVISOR_BOTH = "La supervision a repris votre patient et vous a mis en pause.";
const IN_CALL = "En appel : notez d'abord le résultat.";
/** How often a ready agent without a patient asks the dialer again. */
const ASK_AGAIN_MS = 5_000;

/** Said after an outage when the patient held before it is no longer the agent's: their call's outcome as stored (the
 * one the console kept re-sending, or the sweeper's « Interrompu » after the hold lapsed, or the supervisor's). */
async function lostDuringOutage(before: PatientCard): Promise<string> {
  const name = `${before.patient.lastName}${before.patient.firstName ? ` ${before.patient.firstName}` : ""}`;
  const attempt = before.openAttempt?.id;
  if (!attempt) return `Connexion rétablie : pendant la coupure, ${name} ne vous a plus été attribué(e) et revient dans la file.`;
  const stored = await api<{ outcomeLabel: string | null; recordedBy: "agent" | "system" | "supervisor" | null }>("GET", `/attempts/${attempt}`);
  const unsent = takeUnsentOutcome(attempt);
  if (stored.recordedBy === "agent") return `Connexion rétablie : le résultat « ${stored.outcomeLabel} » de votre appel à ${name} est enregistré.`;
  const lost = unsent ? ` ; le résultat « ${unsent} » que vous aviez choisi n'a pas été enregistré` : "";
  const by = stored.recordedBy === "supervisor" ? " par la supervision" : "";
  return `Connexion rétablie : pendant la coupure, ${name} ne vous a plus été attribué(e) ; son appel est noté « ${stored.outcomeLabel ?? "Interrompu"} »${by}${lost}.`;
}

export default function AgentSpace() {
  const { user } = useSession();
  const [state, setState] = useState<AgentState | null>(null);
  const [card, setCard] = useState<PatientCard | null>(null);
  const cardRef = useRef<PatientCard | null>(null);
  cardRef.current = card;
  const [call, setCall] = useState<{ status: string; answeredBy: string | null; endReason: string | null } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [noPatient, setNoPatient] = useState<NoPatient | null>(null);
  const [pauseReason, setPauseReason] = useState("break");
  const [recordedCount, setRecordedCount] = useState(0);
  const [identityShared, setIdentityShared] = useState(false);
  const onConsentChange = useCallback((c: { share_identity?: { granted: boolean } }) => setIdentityShared(c.share_identity?.granted === true), []);
  const callbacks = useApi<{ enrolmentId: string; callbackAt: string; campaign: string; priorityLabel: string; timeZone: string }[]>(`/agent/callbacks?k=${recordedCount}`);
  const reloadCallbacks = callbacks.reload;
  const inState = useElapsed(state?.since ?? null);
  const inWrapUp = state?.status === "wrap_up";
  const wrapUp = useElapsed(inWrapUp ? state.since : null);

  // The call on screen is the card's open attempt, and only its events show: a finished call's late events
  // (its hang-up, a patient picking up after « pas de réponse ») never reach the next patient's call.
  const attemptOnScreen = useRef<string | null>(null);
  const lastEvents = useRef(new Map<string, CallStateEvent>());
  const showAttempt = useCallback((id: string | null) => {
    attemptOnScreen.current = id;
    const e = id ? lastEvents.current.get(id) : undefined;
    if (e) setCall({ status: e.callStatus, answeredBy: e.answeredBy, endReason: e.endReason });
  }, []);
  const apply = useCallback((r: StatusAnswer) => {
    setState(r.state);
    setCard(r.card);
    // why « Prêt » found nobody comes with the answers to « Prêt » only; a card, or another state, ends it
    if (r.card || r.state.status !== "ready") setNoPatient(null);
    else if (r.noPatient !== undefined) setNoPatient(r.noPatient);
    const open = r.card?.openAttempt ?? null;
    setCall(open ? { status: open.callStatus, answeredBy: open.answeredBy, endReason: open.endReason } : null); // as stored: no older event replaces it
    attemptOnScreen.current = open?.id ?? null;
  }, []);

  const run = useCallback(async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Action impossible.");
    }
  }, []);

  useEffect(() => {
    void run(async () => apply(await api("GET", "/agent/session")));
  }, [apply, run]);

  useEffect(() => {
    const live = connectLive();
    const onCall = (e: CallStateEvent) => {
      lastEvents.current.set(e.attemptId, e);
      if (e.attemptId === attemptOnScreen.current) setCall({ status: e.callStatus, answeredBy: e.answeredBy, endReason: e.endReason });
    };
    const refresh = () => void run(async () => apply(await api("GET", "/agent/session")));
    // Back after an outage: what happened meanwhile is said, the patient held before the cut-off gone included (the
    // event that said so was sent while this console could not hear it).
    const onReconnect = () => void run(async () => {
      const before = cardRef.current;
      const r = await api<StatusAnswer>("GET", "/agent/session");
      apply(r);
      if (before && r.card?.enrolmentId !== before.enrolmentId) setMessage(await lostDuringOutage(before));
    });
    // A supervisor paused me or took my patient back: show it at once (both events may come, in either order).
    const onReleased = (e: { campaign?: CampaignStatusEvent; lapsed?: true }) => {
      if (e.lapsed) setMessage("Votre console n'a plus donné signe de vie pendant plus de 90 s : votre patient est revenu dans la file, et son appel en cours est noté « interrompu ».");
      else if (e.campaign) setMessage(`La campagne « ${e.campaign.name} » a été ${e.campaign.status === "closed" ? "clôturée" : "mise en pause"} : votre patient, pas encore appelé, revient dans la file.`);
      else setMessage((m) => (m === SUPERVISOR_PAUSED || m === SUPERVISOR_BOTH ? SUPERVISOR_BOTH : SUPERVISOR_RELEASED));
      refresh();
    };
    const onMyState = (e: { userId: string; status: AgentState["status"]; pauseReason: string | null; since: string }) => {
      if (e.userId !== user?.id) return;
      setState({ status: e.status, pauseReason: e.pauseReason, since: e.since });
      if (e.status !== "ready") setNoPatient(null);
      if (e.pauseReason === "supervisor") setMessage((m) => (m === SUPERVISOR_RELEASED || m === SUPERVISOR_BOTH ? SUPERVISOR_BOTH : SUPERVISOR_PAUSED));
    };
    // A patient claimed from another tab of mine: show its card here too. This console's own claim brings its card in
    // the answer to « Prêt » (the event often comes first): not read a second time, nor audited twice.
    const onAssigned = (e: { enrolmentId: string }) => {
      if (!asking.current && cardRef.current?.enrolmentId !== e.enrolmentId) refresh();
    };
    const onCallbacks = () => reloadCallbacks(); // a supervisor gave me a callback, or gave one of mine to someone else
    // An outcome recorded in another tab of mine: the patient is no longer mine, their identity leaves this screen too.
    // (The tab that chose it ends with its own answer, or sends it again if that answer was lost.)
    const onOutcome = (e: { agentId: string; attemptId: string }) => {
      if (e.agentId === user?.id && cardRef.current && !outcomeChosenHere(e.attemptId)) refresh();
    };
    live.on("attempt:outcome", onOutcome);
    live.on("call:state", onCall);
    live.on("callbacks:changed", onCallbacks);
    live.on("connect", onReconnect);
    live.on("dialer:released", onReleased);
    live.on("dialer:assigned", onAssigned);
    live.on("agent:state", onMyState);
    const beat = setInterval(() => live.connected && live.emit("agent:heartbeat", () => undefined), HEARTBEAT_MS);
    return () => {
      live.off("call:state", onCall);
      live.off("callbacks:changed", onCallbacks);
      live.off("attempt:outcome", onOutcome);
      live.off("connect", onReconnect);
      live.off("dialer:released", onReleased);
      live.off("dialer:assigned", onAssigned);
      live.off("agent:state", onMyState);
      clearInterval(beat);
    };
  }, [apply, run, user?.id, reloadCallbacks]);

  // One « Prêt » at a time from this console: a second one racing the first (the state event of the first arrives before
  // its answer) could leave the agent « Prêt » while holding the patient the first one claimed.
  const asking = useRef(false);
  // Bumped by every state the agent asks for: the answer of an automatic ask sent before it is stale.
  const chosen = useRef(0);
  const askReady = useCallback(async (again = false) => {
    asking.current = true;
    try {
      return await api<StatusAnswer>("POST", "/agent/status", { status: "ready", ...(again ? { again } : {}) });
    } finally {
      asking.current = false;
    }
  }, []);
  const goReady = () => run(async () => {
    chosen.current++;
    apply(await askReady());
    setMessage(null);
  });

  // Ready without a patient: the dialer is asked again every few seconds, so a patient who becomes due (a campaign
  // started again, a callback's time, a retry) comes to the agent without a click, and why there is nobody stays true.
  const waiting = state?.status === "ready" && !card;
  const explained = useRef(false);
  explained.current = noPatient !== null;
  useEffect(() => {
    if (!waiting) return;
    const ask = () => {
      if (asking.current) return; // a « Prêt » is on its way: its answer will do
      const asked = chosen.current;
      // `again`: a pause clicked while this ask is on its way is not undone by it on the server
      void askReady(true)
        .then((r) => {
          if (asked !== chosen.current) return; // the agent chose another state meanwhile: that answer is the one shown
          if (r.state.status !== "ready") return apply(r);
          if (!r.card) return setNoPatient(r.noPatient ?? null);
          apply(r);
          setMessage(null);
        })
        .catch(() => undefined); // the next turn tries again; the connection banner tells of an outage
    };
    if (!explained.current) ask(); // ready already when the console opened: say why at once
    const timer = setInterval(ask, ASK_AGAIN_MS);
    return () => clearInterval(timer);
  }, [waiting, apply, askReady]);
  const goPause = () => run(async () => {
    chosen.current++;
    apply(await api<StatusAnswer>("POST", "/agent/status", { status: "paused", pauseReason }));
    setMessage(null);
  });
  const goOffline = () => run(async () => {
    chosen.current++;
    apply(await api<StatusAnswer>("POST", "/agent/status", { status: "offline" }));
    setMessage(null);
  });
  // One call at a time from this console: a double click sends one « Appeler », not a second refused one.
  const [dialing, setDialing] = useState(false);
  const dialingRef = useRef(false);
  const dial = async () => {
    if (dialingRef.current) return;
    dialingRef.current = true;
    setDialing(true);
    try {
      await placeCall();
    } finally {
      dialingRef.current = false;
      setDialing(false);
    }
  };
  const placeCall = () => run(async () => {
    const started = await api<{ attemptId: string; phone: string; provider: string }>("POST", "/agent/call");
    // The call as it starts, on the card on screen (not read again); its events follow on the socket.
    const open = { id: started.attemptId, phone: started.phone, provider: started.provider, callStatus: "created", answeredBy: null, endReason: null };
    setCard((c) => c && { ...c, openAttempt: open });
    setCall({ status: open.callStatus, answeredBy: null, endReason: null });
    showAttempt(open.id); // an event heard before this answer replaces « created »
  });
  const hangUp = () => run(async () => void (await api("POST", "/agent/hangup")));
  const recorded = () => {
    setRecordedCount((n) => n + 1);
    setState({ status: "wrap_up", pauseReason: null, since: new Date().toISOString() }); // as the outcome left it; the server's follows
    setCard(null);
    setCall(null);
    setMessage("Résultat enregistré.");
    void run(async () => setState((await api<{ state: AgentState }>("GET", "/agent/session")).state));
  };

  const p = card?.patient;
  const inCall = Boolean(card?.openAttempt);
  // The buttons follow the state: « Patient suivant » after an outcome, « Reprendre » after a pause, « Prêt » otherwise;
  // nothing to ask while ready (the dialer is asked again by itself) or holding a patient.
  const status = state?.status;
  const readyLabel = status === "wrap_up" ? "Patient suivant" : status === "paused" ? "Reprendre" : "Prêt";
  const samePause = status === "paused" && state?.pauseReason === pauseReason;
  /** The patient lives on another clock than the organisation (an overseas patient): their hours are shown and typed on it. */
  const otherClock = !!p && !!user && p.timeZone !== user.organisation.timeZone;
  return (
    <Layout title="Espace agent" leaveWarning={card?.openAttempt
      ? "Un appel est en cours et son résultat n'est pas noté : le patient vous reste attribué 90 secondes, puis revient dans la file et l'appel est noté « interrompu »."
      : null}>
      <section className="panel agent-state" aria-labelledby="state-title">
        <h2 id="state-title">Mon état : {state ? STATUS_LABEL[state.status] : "…"}{state?.pauseReason ? ` (${PAUSE_LABEL[state.pauseReason] ?? state.pauseReason})` : ""} <small>depuis {inState}</small></h2>
        <div className="inline-form">
          <button type="button" onClick={goReady} disabled={!state || Boolean(card) || status === "ready"}>{readyLabel}</button>
          <label className="field">
            <span>Motif de pause</span>
            <select value={pauseReason} onChange={(e) => setPauseReason(e.target.value)}>
              {Object.entries(PAUSE_LABEL).filter(([k]) => k !== "supervisor").map(([k, v]) => <option key={k} value={k}>{v}</option>)}
            </select>
          </label>
          <button type="button" className="secondary" onClick={goPause} disabled={!state || inCall || samePause} title={inCall ? IN_CALL : undefined}>Pause</button>
          <button type="button" className="secondary" onClick={goOffline} disabled={!state || inCall || status === "offline"} title={inCall ? IN_CALL : undefined}>Hors ligne</button>
          {inCall && <small>{IN_CALL}</small>}
          {inWrapUp && <span className="wrapup" role="timer" aria-label="Temps d'après-appel">Après-appel : {wrapUp}</span>}
        </div>
        {message && <p role="status" className="notice">{message}</p>}
        {error && <p role="alert" className="error">{error}</p>}
      </section>
      <SoftphoneSlot card={card} onDial={dial} />

      {waiting && noPatient && (
        <section className="panel no-patient" aria-labelledby="nobody-title">
          <h2 id="nobody-title">Aucun patient à appeler pour le moment</h2>
          <div role="status">
            {noPatient.reasons.length === 1
              ? <p><NoPatientReason reason={noPatient.reasons[0]} /></p>
              : <ul>{noPatient.reasons.map((r) => <li key={r.campaign?.id ?? r.code}><NoPatientReason reason={r} /></li>)}</ul>}
            <p className="hint">Vous restez prêt : le prochain patient dû vous sera présenté sans autre clic.</p>
          </div>
        </section>
      )}

      {card && p && (
        <div className="agent-grid">
          <section className="panel" aria-labelledby="patient-title">
            <h2 id="patient-title">{p.lastName} {p.firstName}{p.birthName && p.birthName !== p.lastName ? ` (née ${p.birthName})` : ""}</h2>
            <p className="badges">
              {p.ald && <span className="badge">ALD</span>}
              {p.css && <span className="badge">CSS</span>}
              <span>{p.age} ans — né(e) le {p.birthDate.split("-").reverse().join("/")}</span>
            </p>
            <p><strong>Pourquoi ce patient :</strong> {card.why}</p>
            {card.reorientReason && <p className="notice"><strong>À réorienter :</strong> {card.reorientReason}</p>}
            <p><strong>Commune :</strong> {p.commune ? `${p.commune.name} (${p.commune.inseeCode})` : "inconnue"}{p.address ? ` — ${p.address}` : ""}</p>
            <p><strong>Campagne :</strong> {card.campaign.name}</p>
            {otherClock && <PatientClock zone={p.timeZone} />}
            {card.callbackAt && (
              <p className="notice">Rappel demandé par le patient pour le {otherClock ? `${formatOnClock(card.callbackAt, p.timeZone)} (heure locale du patient)` : formatDateTime(card.callbackAt)}</p>
            )}
            <h3>Téléphones</h3>
            <ul className="phones">
              {p.phones.map((ph) => (
                <li key={ph.e164} className={ph.wrong ? "wrong" : ph.e164 === p.currentPhone ? "current" : ""}>
                  {formatPhone(ph.e164)} <small>({phoneTypeLabel(ph.type)})</small>
                  {ph.e164 === p.currentPhone && !ph.wrong && <strong> — numéro à appeler</strong>}
                  {ph.wrong && <em> — faux numéro</em>}
                </li>
              ))}
            </ul>
            <h3>Historique</h3>
            {card.history.length ? (
              <ol className="history">
                {card.history.map((h) => (
                  <li key={h.attemptNumber + h.at}>Tentative {h.attemptNumber}, {formatDateTime(h.at)} — {OUTCOME_LABEL[h.outcome] ?? h.outcome}{h.comment ? ` : ${h.comment}` : ""}</li>
                ))}
              </ol>
            ) : <p>Premier appel.</p>}
          </section>

          <div>
            <section className="panel" aria-labelledby="call-title">
              <h2 id="call-title">Appel</h2>
              {!card.openAttempt && card.telephony === "manual" ? (
                // the agent dials from their own phone: the link opens it and starts the timed attempt
                <div className="inline-form">
                  {p.currentPhone && <a className="button" href={`tel:${p.currentPhone}`} onClick={dial}>Appeler {formatPhone(p.currentPhone)} depuis mon téléphone</a>}
                </div>
              ) : !card.openAttempt ? (
                <div className="inline-form">
                  <button type="button" onClick={dial} disabled={dialing}>Appeler {p.currentPhone ? formatPhone(p.currentPhone) : ""}</button>
                </div>
              ) : card.openAttempt.provider === "manual" ? (
                <p role="status" className="call-state">
                  Appel depuis votre téléphone : composez le <a href={`tel:${card.openAttempt.phone}`}>{card.openAttempt.phone}</a>, puis notez le résultat ci-dessous.
                </p>
              ) : (
                <div>
                  <p role="status" aria-live="polite" className="call-state">
                    {CALL_STATUS_LABEL[call?.status ?? card.openAttempt.callStatus] ?? call?.status}
                    {call?.answeredBy === "machine" ? " — répondeur détecté" : call?.answeredBy === "human" ? " — une personne a répondu" : ""}
                    {call?.status === "ended" && call.endReason ? CALL_END_LABEL[call.endReason] ?? "" : ""}
                  </p>
                  {call?.status !== "ended" && <button type="button" className="secondary" onClick={hangUp}>Raccrocher</button>}
                </div>
              )}
            </section>
            {card.openAttempt && <OutcomePanel attemptId={card.openAttempt.id} patientZone={p.timeZone} otherClock={otherClock} onRecorded={recorded} />}
          </div>
          <ScriptPanel enrolmentId={card.enrolmentId} patientName={`${p.firstName ?? ""} ${p.lastName}`.trim()} inCall={Boolean(card.openAttempt)} onConsentChange={onConsentChange} />
          <ProposalsPanel enrolmentId={card.enrolmentId} identityShared={identityShared} />
        </div>
      )}

      <section className="panel" aria-labelledby="callbacks-title">
        <h2 id="callbacks-title">Mes rappels du jour</h2>
        {callbacks.data?.length ? (
          <ul>{callbacks.data.map((c) => <li key={c.enrolmentId}><CallbackTime at={c.callbackAt} zone={c.timeZone} /> — {c.campaign} ({c.priorityLabel})</li>)}</ul>
        ) : <p>Aucun rappel prévu aujourd'hui.</p>}
      </section>
    </Layout>
  );
}

function NoPatientReason({ reason }: { reason: NoPatient["reasons"][number] }) {
  return <>{reason.campaign && <strong>{reason.campaign.name} : </strong>}{reason.text}</>;
}
