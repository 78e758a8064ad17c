import { useEffect, useState, type ReactNode } from "react";
import { useNavigate } from "react-router";
import type { SessionEndReason } from "../../../shared-types/events.ts";
import { ORG_KIND_LABELS, ROLE_LABELS } from "./labels.ts";
import { useSession } from "./session.tsx";
import { connectLive, disconnectLive, useConnectionState, type LiveSocket } from "./socket.ts";

const CONNECTION_TEXT = { connected: "Connecté", connecting: "Connexion…", lost: "Connexion perdue — reconnexion…" } as const;

/** `leaveWarning`: what leaving now would leave undone (a call without its outcome): « Se déconnecter » asks first, and
 * closing the tab makes the browser ask. */
export function Layout({ title, leaveWarning = null, children }: { title: string; leaveWarning?: string | null; children: ReactNode }) {
  const { user, logout, ended } = useSession();
  const navigate = useNavigate();
  const [live, setLive] = useState<LiveSocket | null>(null);
  const connection = useConnectionState(live);
  const [confirmingLogout, setConfirmingLogout] = useState(false);
  const leave = async () => {
    disconnectLive();
    await logout();
    navigate("/connexion");
  };

  useEffect(() => {
    if (!leaveWarning) {
      setConfirmingLogout(false); // the call ended meanwhile: nothing left to ask
      return;
    }
    const ask = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", ask);
    return () => window.removeEventListener("beforeunload", ask);
  }, [leaveWarning]);

  useEffect(() => {
    const s = connectLive();
    setLive(s);
    const onEnded = ({ reason }: { reason: SessionEndReason }) => ended(reason);
    s.on("session:ended", onEnded);
    return () => {
      s.off("session:ended", onEnded);
    };
  }, [ended]);

  useEffect(() => {
    document.title = `${title} — Orientation MT`;
  }, [title]);

  if (!user) return null;
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">Orientation MT</div>
        <div className="who">
          <span className="user-name">{user.name}</span>
          <span className="badge">{ROLE_LABELS[user.role]}</span>
          <span className="org">
            {user.organisation.name} ({ORG_KIND_LABELS[user.organisation.kind]})
          </span>
        </div>
        <div role="status" aria-live="polite" className={`connection connection-${connection}`}>
          <span className="dot" aria-hidden="true" />
          {CONNECTION_TEXT[connection]}
        </div>
        <button type="button" className="secondary" onClick={() => (leaveWarning ? setConfirmingLogout(true) : void leave())}>
          Se déconnecter
        </button>
      </header>
      <main className="content">
        {confirmingLogout && leaveWarning && (
          <div role="alertdialog" aria-labelledby="leave-title" aria-describedby="leave-text" className="confirm">
            <p id="leave-title"><strong>Se déconnecter maintenant ?</strong></p>
            <p id="leave-text">{leaveWarning}</p>
            <div className="inline-form">
              <button type="button" className="danger" onClick={() => void leave()}>Se déconnecter quand même</button>
              <button type="button" className="secondary" autoFocus onClick={() => setConfirmingLogout(false)}>Annuler</button>
            </div>
          </div>
        )}
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
