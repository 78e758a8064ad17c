// The campaign's script, with the consent questions inline: each answer is recorded at once, with the
// script version read (append-only on the server: changing an answer adds a record).
import { useCallback, useEffect, useState } from "react";
import { api, ApiError } from "../shared/api.ts";
import { formatDateTime } from "../shared/labels.ts";
import { useSession } from "../shared/session.tsx";

type Purpose = "contact" | "share_identity" | "mt_declaration";
interface Consent { id: string; granted: boolean; at: string; channel: string; scriptVersion: number | null }
interface ScriptView {
  script: { id: string; version: number; body: string; questions: Record<Purpose, string> };
  consents: Partial<Record<Purpose, Consent>>;
  purposes: Record<Purpose, string>;
}
const ORDER: Purpose[] = ["contact", "share_identity", "mt_declaration"];

/** `inCall`: a call of this hold without its outcome yet: the patient's answers are recorded during it, not before. */
export function ScriptPanel({ enrolmentId, patientName, inCall, onConsentChange }: { enrolmentId: string; patientName: string; inCall: boolean; onConsentChange: (c: ScriptView["consents"]) => void }) {
  const [view, setView] = useState<ScriptView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { user } = useSession();

  const load = useCallback(async () => {
    try {
      const v = await api<ScriptView>("GET", "/agent/script");
      setView(v);
      onConsentChange(v.consents);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Script indisponible.");
    }
  }, [onConsentChange]);
  useEffect(() => void load(), [load, enrolmentId]);

  async function answer(purpose: Purpose, granted: boolean) {
    if (!view || busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api<{ consents: ScriptView["consents"] }>("POST", "/agent/consents", { purpose, granted, channel: "phone", scriptVersionId: view.script.id });
      setView({ ...view, consents: r.consents });
      onConsentChange(r.consents);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Enregistrement impossible.");
    } finally {
      setBusy(false);
    }
  }

  if (!view) return <section className="panel" aria-label="Script d'appel">{error ? <p role="alert" className="error">{error}</p> : <p>Chargement du script…</p>}</section>;
  const body = view.script.body.replaceAll("{patient}", patientName).replaceAll("{agent}", user?.name ?? "").replaceAll("{organisation}", user?.organisation.name.replace(/ \(démo\)$/, "") ?? "");
  return (
    <section className="panel" aria-labelledby="script-title">
      <h2 id="script-title">Script <small>(version {view.script.version})</small></h2>
      <div className="script-body">{body.split("\n").map((line, i) => <p key={i}>{line}</p>)}</div>
      <h3>Consentements</h3>
      {!inCall && <p id="consents-when"><small>Les réponses du patient s'enregistrent pendant l'appel : appelez-le d'abord.</small></p>}
      {error && <p role="alert" className="error">{error}</p>}
      <ol className="consents">
        {ORDER.map((purpose) => {
          const current = view.consents[purpose];
          return (
            <li key={purpose}>
              <p className="consent-purpose"><strong>{view.purposes[purpose]}</strong></p>
              <p className="consent-question">« {view.script.questions[purpose]} »</p>
              <div className="inline-form" role="group" aria-label={view.purposes[purpose]}>
                <button type="button" className={current?.granted === true ? "" : "secondary"} aria-pressed={current?.granted === true} disabled={busy || !inCall} aria-describedby={inCall ? undefined : "consents-when"} onClick={() => answer(purpose, true)}>
                  Oui, accepte
                </button>
                <button type="button" className={current?.granted === false ? "" : "secondary"} aria-pressed={current?.granted === false} disabled={busy || !inCall} aria-describedby={inCall ? undefined : "consents-when"} onClick={() => answer(purpose, false)}>
                  Non, refuse
                </button>
                <span className="consent-state" role="status">
                  {current ? `${current.granted ? "Accordé" : "Refusé"} le ${formatDateTime(current.at)}${current.scriptVersion ? ` (script v${current.scriptVersion})` : ""}` : "Pas encore demandé"}
                </span>
              </div>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
