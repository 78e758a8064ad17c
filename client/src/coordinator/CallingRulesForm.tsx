// A campaign's calling rules and its status (start, pause, close).
import { useState, type FormEvent } from "react";
import { api, ApiError } from "../shared/api.ts";
import { Field } from "../shared/Field.tsx";
import { CAMPAIGN_STATUS_LABELS } from "../shared/labels.ts";
import { useApi } from "../shared/useApi.ts";

export interface CampaignRules {
  id: string;
  status: string;
  dialMode: "preview" | "progressive";
  callingWindows: Record<string, [string, string][]> | null;
  skipPublicHolidays: boolean;
  maxAttempts: number;
  attemptPeriodDays: number;
  retryDelays: Record<string, number> | null;
  rotatePhoneAfter: number;
  refusalPauseDays: number | null;
  callbackGraceMinutes: number;
  maxDistanceKm: number;
  reservationDays: number;
  agentIds: string[];
  agentTeams: string[];
  priorityOrder: PriorityGroup[];
  /** The patients still to call are being moved to the rank of a new priority order. */
  reorderPending: boolean;
}

type PriorityGroup = "ald" | "age70" | "css" | "other";
const PRIORITY_LABELS: Record<PriorityGroup, string> = { ald: "Patients en ALD", age70: "Patients de 70 ans et plus", css: "Bénéficiaires de la CSS", other: "Tous les autres" };

const DAYS = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"];
const DEFAULT_WINDOWS: Record<string, [string, string][]> = Object.fromEntries(["1", "2", "3", "4", "5"].map((d) => [d, [["10:00", "13:00"], ["14:00", "20:00"]]]));
const DEFAULT_DELAYS: Record<string, number> = { no_answer: 240, busy: 30, voicemail: 1440, language_barrier: 1440, other: 1440 };
/** The outcomes after which the patient is tried again, in the order the form shows their delays. */
const RETRY_OUTCOMES = [
  ["no_answer", "pas de réponse"], ["busy", "occupé"], ["voicemail", "messagerie"], ["language_barrier", "barrière de la langue"], ["other", "autre"],
] as const;
type RetryOutcome = (typeof RETRY_OUTCOMES)[number][0];

const windowsText = (w: [string, string][] | undefined) => (w ?? []).map(([a, b]) => `${a}-${b}`).join(", ");

/** "9h", "9h30", "9:30", "09:30", "14" → "HH:MM"; null when it is not an hour of the day. */
function hourOf(text: string): string | null {
  const m = /^(\d{1,2})(?:\s*[h:]\s*(\d{2})?)?$/i.exec(text.trim());
  if (!m) return null;
  const [h, min] = [Number(m[1]), Number(m[2] ?? 0)];
  if (h > 24 || min > 59 || (h === 24 && min > 0)) return null;
  return `${String(h).padStart(2, "0")}:${String(min).padStart(2, "0")}`;
}

/** One day's windows as typed ("10:00-13:00, 14h-20h"), or the French reason it cannot be read. */
export function parseWindows(day: string, text: string): { windows: [string, string][] } | { error: string } {
  const windows: [string, string][] = [];
  for (const part of text.split(/[,;]/).map((s) => s.trim()).filter(Boolean)) {
    const ends = part.split(/\s*(?:-|–|à)\s*/);
    const [from, to] = ends.length === 2 ? ends.map(hourOf) : [null, null];
    if (!from || !to) return { error: `${day} : « ${part} » n'est pas une plage ; écrivez par exemple « 10:00-13:00, 14:00-20:00 ».` };
    if (to <= from) return { error: `${day} : la plage « ${part} » doit finir après son début.` };
    const overlap = windows.find(([a, b]) => from < b && a < to);
    if (overlap) return { error: `${day} : les plages « ${overlap[0]}-${overlap[1]} » et « ${part} » se chevauchent.` };
    windows.push([from, to]);
  }
  return { windows };
}

export function CallingRulesForm({ campaign, onSaved }: { campaign: CampaignRules; onSaved: () => void }) {
  const windows = campaign.callingWindows ?? DEFAULT_WINDOWS;
  const delays = { ...DEFAULT_DELAYS, ...(campaign.retryDelays ?? {}) };
  const [form, setForm] = useState({
    dialMode: campaign.dialMode, maxAttempts: campaign.maxAttempts, attemptPeriodDays: campaign.attemptPeriodDays, rotatePhoneAfter: campaign.rotatePhoneAfter,
    callbackGraceMinutes: campaign.callbackGraceMinutes, skipPublicHolidays: campaign.skipPublicHolidays,
    maxDistanceKm: campaign.maxDistanceKm, reservationDays: campaign.reservationDays, agentIds: campaign.agentIds ?? [], agentTeams: campaign.agentTeams ?? [],
    days: DAYS.map((_, i) => windowsText(windows[String(i + 1)])),
    delays: Object.fromEntries(RETRY_OUTCOMES.map(([o]) => [o, delays[o]])) as Record<RetryOutcome, number>,
    callAfterRefusal: campaign.refusalPauseDays !== null, refusalPauseDays: campaign.refusalPauseDays ?? 90,
    priorityOrder: campaign.priorityOrder,
  });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const agents = useApi<{ id: string; name: string; team: string | null }[]>("/agents");
  // the teams of today's agents, and those the campaign names (so that one left without agents can be unticked)
  const teams = [...new Set([...(agents.data ?? []).flatMap((a) => (a.team ? [a.team] : [])), ...(campaign.agentTeams ?? [])])].sort((a, b) => a.localeCompare(b, "fr"));
  const toggle = (list: string[], item: string) => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);
  const moveGroup = (i: number, by: -1 | 1) => setForm((f) => {
    const order = [...f.priorityOrder];
    [order[i], order[i + by]] = [order[i + by], order[i]];
    return { ...f, priorityOrder: order };
  });

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNotice(null);
    const days = form.days.map((text, i) => parseWindows(DAYS[i], text));
    const unreadable = days.find((d) => "error" in d);
    if (unreadable && "error" in unreadable) {
      setError(unreadable.error);
      return;
    }
    const callingWindows = Object.fromEntries(days.map((d, i) => [String(i + 1), "windows" in d ? d.windows : []]).filter(([, w]) => (w as unknown[]).length));
    try {
      await api("PUT", `/campaigns/${campaign.id}/rules`, {
        dialMode: form.dialMode, maxAttempts: form.maxAttempts, attemptPeriodDays: form.attemptPeriodDays, rotatePhoneAfter: form.rotatePhoneAfter,
        callbackGraceMinutes: form.callbackGraceMinutes, skipPublicHolidays: form.skipPublicHolidays,
        maxDistanceKm: form.maxDistanceKm, reservationDays: form.reservationDays, agentIds: form.agentIds, agentTeams: form.agentTeams,
        callingWindows, retryDelays: form.delays, refusalPauseDays: form.callAfterRefusal ? form.refusalPauseDays : null, priorityOrder: form.priorityOrder,
      });
      const reordered = form.priorityOrder.join() !== campaign.priorityOrder.join();
      setNotice(reordered ? "Règles d'appel enregistrées. Les patients à appeler sont reclassés selon le nouvel ordre de priorité, en arrière-plan (moins d'une minute pour une grande campagne)." : "Règles d'appel enregistrées.");
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Enregistrement impossible.");
    }
  }

  const [confirmClose, setConfirmClose] = useState(false);
  async function setStatus(status: "running" | "paused" | "closed") {
    setError(null);
    setConfirmClose(false);
    try {
      await api("POST", `/campaigns/${campaign.id}/status`, { status });
      onSaved();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Changement impossible.");
    }
  }

  const num = (key: "maxAttempts" | "attemptPeriodDays" | "rotatePhoneAfter" | "callbackGraceMinutes" | "maxDistanceKm" | "reservationDays" | "refusalPauseDays", label: string, min = 0) => (
    <Field label={label}>{(id) => <input id={id} type="number" min={min} required value={form[key]} onChange={(e) => setForm({ ...form, [key]: Number(e.target.value) })} />}</Field>
  );

  return (
    <section className="panel" aria-labelledby="rules-title">
      <h2 id="rules-title">Règles d'appel — campagne {CAMPAIGN_STATUS_LABELS[campaign.status]?.toLowerCase()}</h2>
      <div className="inline-form">
        {campaign.status !== "running" && campaign.status !== "closed" && <button type="button" onClick={() => setStatus("running")}>Démarrer la campagne</button>}
        {campaign.status === "running" && <button type="button" className="secondary" onClick={() => setStatus("paused")}>Mettre en pause</button>}
        {campaign.status !== "closed" && !confirmClose && <button type="button" className="secondary" onClick={() => setConfirmClose(true)}>Clôturer…</button>}
      </div>
      {confirmClose && (
        <div role="alertdialog" aria-labelledby="close-title" aria-describedby="close-text" className="confirm">
          <p id="close-title"><strong>Clôturer définitivement la campagne ?</strong></p>
          <p id="close-text">Plus aucun patient n'en sera appelé et elle ne recevra plus de listing. Une campagne clôturée ne peut pas être rouverte ; ses rapports et exports restent disponibles.</p>
          <div className="inline-form">
            <button type="button" className="danger" onClick={() => setStatus("closed")}>Clôturer définitivement</button>
            <button type="button" className="secondary" autoFocus onClick={() => setConfirmClose(false)}>Annuler</button>
          </div>
        </div>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      {notice && <p role="status" className="notice">{notice}</p>}
      <form onSubmit={save}>
        <div className="inline-form">
          <Field label="Mode de numérotation">
            {(id) => (
              <select id={id} value={form.dialMode} onChange={(e) => setForm({ ...form, dialMode: e.target.value as "preview" | "progressive" })}>
                <option value="preview">Aperçu (l'agent lance l'appel)</option>
                <option value="progressive">Progressif (l'appel part seul)</option>
              </select>
            )}
          </Field>
          {num("maxAttempts", "Tentatives au plus", 1)}
          {num("attemptPeriodDays", "sur (jours)", 1)}
          {num("rotatePhoneAfter", "Autre numéro après (échecs)", 1)}
          {num("callbackGraceMinutes", "Rappel réservé à l'agent (minutes)")}
          {RETRY_OUTCOMES.map(([outcome, label]) => (
            <Field key={outcome} label={`Délai après « ${label} » (min)`}>
              {(id) => <input id={id} type="number" min={1} required value={form.delays[outcome]} onChange={(e) => setForm({ ...form, delays: { ...form.delays, [outcome]: Number(e.target.value) } })} />}
            </Field>
          ))}
          <Field label="Après un refus">
            {(id) => (
              <select id={id} value={form.callAfterRefusal ? "pause" : "stop"} onChange={(e) => setForm({ ...form, callAfterRefusal: e.target.value === "pause" })}>
                <option value="stop">Ne plus appeler le patient</option>
                <option value="pause">Rappeler après une pause</option>
              </select>
            )}
          </Field>
          {form.callAfterRefusal && num("refusalPauseDays", "Pause après un refus (jours)", 1)}
          {num("maxDistanceKm", "Médecins proposés à moins de (km)", 1)}
          {num("reservationDays", "Réservation sans réponse libérée après (jours)", 1)}
        </div>
        <fieldset className="windows">
          <legend>Plages d'appel (heure locale du patient, « 10:00-13:00, 14:00-20:00 » ; vide = pas d'appel)</legend>
          {DAYS.map((day, i) => (
            <Field key={day} label={day}>
              {(id) => <input id={id} value={form.days[i]} onChange={(e) => setForm({ ...form, days: form.days.map((d, j) => (j === i ? e.target.value : d)) })} />}
            </Field>
          ))}
        </fieldset>
        <fieldset className="windows">
          <legend>Ordre de priorité (le premier groupe est appelé d'abord ; un patient compte dans le premier de ses groupes)</legend>
          {campaign.reorderPending && <p className="notice">Reclassement des patients selon cet ordre en cours…</p>}
          <ol className="priority-order">
            {form.priorityOrder.map((group, i) => (
              <li key={group}>
                {PRIORITY_LABELS[group]}{" "}
                <button type="button" className="secondary" disabled={i === 0} onClick={() => moveGroup(i, -1)}>Monter<span className="sr-only"> {PRIORITY_LABELS[group]}</span></button>{" "}
                <button type="button" className="secondary" disabled={i === form.priorityOrder.length - 1} onClick={() => moveGroup(i, 1)}>Descendre<span className="sr-only"> {PRIORITY_LABELS[group]}</span></button>
              </li>
            ))}
          </ol>
        </fieldset>
        {teams.length ? (
          <fieldset className="windows">
            <legend>Équipes de la campagne (tous leurs agents, y compris ceux qui les rejoindront)</legend>
            {teams.map((t) => (
              <label key={t} className="checkbox"><input type="checkbox" checked={form.agentTeams.includes(t)} onChange={() => setForm((f) => ({ ...f, agentTeams: toggle(f.agentTeams, t) }))} /> {t}</label>
            ))}
          </fieldset>
        ) : null}
        {agents.data?.length ? (
          <fieldset className="windows">
            <legend>Agents de la campagne (ni équipe ni agent coché : tous les agents de l'organisation)</legend>
            {agents.data.map((a) => {
              const byTeam = a.team !== null && form.agentTeams.includes(a.team);
              return (
                <label key={a.id} className="checkbox">
                  <input type="checkbox" checked={byTeam || form.agentIds.includes(a.id)} disabled={byTeam} onChange={() => setForm((f) => ({ ...f, agentIds: toggle(f.agentIds, a.id) }))} />{" "}
                  {a.name}{a.team ? ` (${a.team}${byTeam ? ", par son équipe" : ""})` : ""}
                </label>
              );
            })}
          </fieldset>
        ) : null}
        <label className="checkbox">
          <input type="checkbox" checked={form.skipPublicHolidays} onChange={(e) => setForm({ ...form, skipPublicHolidays: e.target.checked })} /> Pas d'appel les jours fériés (y compris Alsace-Moselle et outre-mer)
        </label>
        <button type="submit">Enregistrer les règles</button>
      </form>
    </section>
  );
}
