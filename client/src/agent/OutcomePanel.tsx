// Outcome entry: buttons with keyboard shortcuts, callback date/time, comment. What is being typed
// survives a lost connection or a reload (sessionStorage); an outcome the server could not be reached for is sent
// again by itself until it is answered.
import { useEffect, useRef, useState } from "react";
import { api, ApiError } from "../shared/api.ts";
import { Field } from "../shared/Field.tsx";
import { OUTCOME_BUTTONS, OUTCOME_LABEL } from "./types.ts";
import { instantFromLocal, localValue } from "./patientTime.tsx";
import { timeZoneName, type FrenchTimeZone } from "../../../shared-types/timeZones.ts";
import { latestCallback } from "../../../shared-types/callbackLimits.ts";


/** `unsent`: the outcome was sent but the server could not be reached; it is sent again by itself until it is answered. */
interface Draft { outcome: string | null; comment: string; callbackAt: string; unsent?: boolean }

/** How often an unsent outcome is tried again (and at once when the browser says it is back online). */
const RESEND_MS = 3000;
const transient = (err: unknown) => err instanceof ApiError && (err.status === 0 || err.status === 502 || err.status === 503 || err.status === 504);

/** Outcomes that end the patient's calls (or put them on the opposition register): asked once more, so that a key
 * pressed by mistake (« D » while the phone rings) cannot end a patient for good. */
const FINAL_OUTCOMES: Record<string, string> = {
  refused: "Le patient refuse : ses appels s'arrêtent dans cette campagne, ou sont mis en pause selon ses règles.",
  has_mt: "Le patient a déjà un médecin traitant : ses appels s'arrêtent, dans toutes les campagnes de même type.",
  moved: "Le patient a déménagé : ses appels s'arrêtent dans cette campagne.",
  deceased: "Le patient est décédé : ses appels s'arrêtent définitivement.",
  opposed: "Le patient s'oppose à tout appel : il est inscrit au registre d'opposition et ne sera plus appelé, dans aucune campagne.",
};
const empty: Draft = { outcome: null, comment: "", callbackAt: "" };

/** `patientZone`: the callback is typed on the patient's clock; `otherClock` when it is not the agent's organisation's. */
const draftKey = (attemptId: string) => `omt:outcome:${attemptId}`;

/** The draft this tab keeps for the attempt (sessionStorage is per tab), or null. */
const keptDraft = (attemptId: string) => JSON.parse(sessionStorage.getItem(draftKey(attemptId)) ?? "null") as Draft | null;

/** This console chose an outcome for the attempt (its answer, or its resending, is on the way): not another tab's. */
export function outcomeChosenHere(attemptId: string): boolean {
  return Boolean(keptDraft(attemptId)?.outcome);
}

/** The outcome chosen for an attempt and not stored, taken out of the kept drafts: the attempt left the console (its
 * hold lapsed during an outage, « interrompu » is its outcome), and the agent is told which choice was lost. */
export function takeUnsentOutcome(attemptId: string): string | null {
  const draft = keptDraft(attemptId);
  sessionStorage.removeItem(draftKey(attemptId));
  return draft?.outcome ? OUTCOME_LABEL[draft.outcome] ?? draft.outcome : null;
}

export function OutcomePanel({ attemptId, patientZone, otherClock, onRecorded }: { attemptId: string; patientZone: FrenchTimeZone; otherClock: boolean; onRecorded: () => void }) {
  const key = draftKey(attemptId);
  const [draft, setDraft] = useState<Draft>(() => keptDraft(attemptId) ?? empty);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => sessionStorage.setItem(key, JSON.stringify(draft)), [key, draft]);

  const needsMore = draft.outcome === "callback" || draft.outcome === "other";

  async function submit(outcome = draft.outcome) {
    if (!outcome || busy) return;
    setBusy(true);
    try {
      // sent again as it was typed: the server answers a repeat of a stored outcome as stored (« replayed »)
      await api("POST", `/attempts/${attemptId}/outcome`, {
        outcome,
        ...(draft.comment.trim() ? { comment: draft.comment.trim() } : {}),
        ...(outcome === "callback" && draft.callbackAt ? { callbackAt: instantFromLocal(draft.callbackAt, patientZone) } : {}),
      });
      sessionStorage.removeItem(key);
      setError(null);
      onRecorded();
    } catch (err) {
      const unsent = transient(err);
      setDraft((d) => ({ ...d, outcome, unsent }));
      setError(unsent
        ? `Serveur injoignable : le résultat « ${OUTCOME_LABEL[outcome] ?? outcome} » est conservé et sera envoyé automatiquement dès son retour.`
        : err instanceof ApiError ? err.message : "Enregistrement impossible.");
    } finally {
      setBusy(false);
    }
  }

  // An unsent outcome (also after a reload: the draft is kept) goes again every few seconds, and at once back online.
  const latestSubmit = useRef(submit);
  latestSubmit.current = submit;
  useEffect(() => {
    if (!draft.unsent || busy) return;
    const again = () => void latestSubmit.current();
    const timer = setTimeout(again, RESEND_MS);
    window.addEventListener("online", again);
    return () => {
      clearTimeout(timer);
      window.removeEventListener("online", again);
    };
  }, [draft.unsent, busy]);

  const [confirming, setConfirming] = useState<string | null>(null);

  /** A final outcome opens its confirmation, which only « Confirmer » (or Entrée) records: the same key or button
   * pressed twice by mistake does not. */
  function choose(outcome: string) {
    if (draft.unsent) return; // the outcome chosen is on its way: a second one would be refused once the first lands
    setError(null); // an earlier refusal was about the previous choice
    if (FINAL_OUTCOMES[outcome]) setConfirming(outcome);
    else record(outcome);
  }

  function record(outcome: string) {
    setConfirming(null);
    setDraft((d) => ({ ...d, outcome }));
    if (outcome !== "callback" && outcome !== "other") void submit(outcome);
  }

  // The confirmation and the callback's or comment's form open where the agent sees them, focused: what is typed next
  // goes there, not to the outcome shortcuts.
  const confirmBox = useRef<HTMLDivElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    confirmBox.current?.scrollIntoView({ block: "nearest" });
    confirmButton.current?.focus({ preventScroll: true });
  }, [confirming]);
  const moreForm = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!needsMore || draft.unsent) return;
    moreForm.current?.scrollIntoView({ block: "nearest" });
    moreForm.current?.querySelector("input")?.focus({ preventScroll: true });
  }, [draft.outcome]); // when the outcome is chosen, not at each keystroke

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const target = e.target as HTMLElement;
      if (target.closest("input, textarea, select") || e.ctrlKey || e.metaKey || e.altKey) return;
      // Enter on a focused button is that button's click (« Confirmer », focused when the question opens; « Annuler »).
      if (confirming) {
        if (e.key === "Escape" || (e.key === "Enter" && !target.closest("button"))) {
          e.preventDefault();
          if (e.key === "Enter") record(confirming);
          else setConfirming(null);
        }
        return; // the other shortcuts wait for the answer
      }
      const b = OUTCOME_BUTTONS.find((o) => o.key.toLowerCase() === e.key.toLowerCase());
      if (b) {
        e.preventDefault();
        choose(b.outcome);
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  return (
    <section className="panel" aria-labelledby="outcome-title">
      <h2 id="outcome-title">Résultat de l'appel</h2>
      {error && <p role="alert" className="error">{error}</p>}
      <div className="outcomes" role="group" aria-label="Résultats possibles">
        {OUTCOME_BUTTONS.map((b) => (
          <button key={b.outcome} type="button" className={draft.outcome === b.outcome ? "" : "secondary"} aria-pressed={draft.outcome === b.outcome}
            aria-keyshortcuts={b.key} onClick={() => choose(b.outcome)} disabled={busy || draft.unsent}>
            <kbd>{b.key}</kbd> {b.label}
          </button>
        ))}
      </div>
      {confirming && (
        <div role="alertdialog" aria-labelledby="final-title" aria-describedby="final-text" className="confirm" ref={confirmBox}>
          <p id="final-title"><strong>Confirmer « {OUTCOME_BUTTONS.find((b) => b.outcome === confirming)?.label} » ?</strong></p>
          <p id="final-text">{FINAL_OUTCOMES[confirming]} Ce résultat ne se corrige pas.</p>
          <div className="inline-form">
            <button type="button" className="danger" ref={confirmButton} onClick={() => record(confirming)} disabled={busy}>Confirmer (Entrée)</button>
            <button type="button" className="secondary" onClick={() => setConfirming(null)}>Annuler (Échap)</button>
          </div>
        </div>
      )}
      {needsMore && (
        <form className="inline-form" ref={moreForm} onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          {draft.outcome === "callback" && (
            <Field label="Date et heure du rappel" hint={`${otherClock ? `heure locale du patient (${timeZoneName(patientZone)}) ; ` : ""}à la demande du patient, même hors des plages d'appel ; dans moins d'un an`}>
              {(id, hint) => (
                <input id={id} type="datetime-local" required aria-describedby={hint} disabled={draft.unsent} value={draft.callbackAt} onChange={(e) => setDraft({ ...draft, callbackAt: e.target.value })}
                  min={localValue(new Date(Date.now() + 60_000), patientZone)} max={localValue(latestCallback(new Date()), patientZone)} />
              )}
            </Field>
          )}
          <Field label={draft.outcome === "other" ? "Commentaire (obligatoire)" : "Commentaire"}>
            {(id) => <input id={id} required={draft.outcome === "other"} maxLength={2000} disabled={draft.unsent} value={draft.comment} onChange={(e) => setDraft({ ...draft, comment: e.target.value })} />}
          </Field>
          <button type="submit" disabled={busy || draft.unsent}>Enregistrer le résultat</button>
        </form>
      )}
    </section>
  );
}
