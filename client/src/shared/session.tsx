import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import type { SessionEndReason, SessionUser } from "../../../shared-types/events.ts";
import { api, ApiError, onUnauthenticated, setCsrfToken } from "./api.ts";
import { setOrganisationTimeZone } from "./labels.ts";

interface SessionState {
  user: SessionUser | null;
  loading: boolean;
  /** Why the user is on the login page (session expired…). */
  notice: string | null;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** The server closed the session (logout in another tab, the account changed by an admin). */
  ended(reason: SessionEndReason): void;
}

const ENDED_NOTICES: Record<SessionEndReason, string> = {
  logout: "Vous êtes déconnecté.",
  deactivated: "Votre compte a été désactivé par un administrateur.",
  role_changed: "Votre rôle a été modifié par un administrateur. Reconnectez-vous pour ouvrir votre nouvel espace.",
  password_changed: "Votre mot de passe a été modifié. Reconnectez-vous avec le nouveau.",
};

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setSessionUser] = useState<SessionUser | null>(null);
  const setUser = useCallback((u: SessionUser | null) => {
    setOrganisationTimeZone(u?.organisation.timeZone);
    setSessionUser(u);
  }, []);
  const [loading, setLoading] = useState(true);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    api<{ user: SessionUser; csrfToken: string }>("GET", "/auth/session")
      .then((s) => {
        setCsrfToken(s.csrfToken);
        setUser(s.user);
      })
      .catch(() => setUser(null))
      .finally(() => setLoading(false));
    return onUnauthenticated((error: ApiError) => {
      setUser(null);
      setNotice(error.code === "session_expired" ? "Votre session a expiré. Veuillez vous reconnecter." : "Veuillez vous reconnecter.");
    });
  }, []);

  const login = useCallback(async (email: string, password: string) => {
    const s = await api<{ user: SessionUser; csrfToken: string }>("POST", "/auth/login", { email, password });
    setCsrfToken(s.csrfToken);
    setNotice(null);
    setUser(s.user);
  }, []);

  const logout = useCallback(async () => {
    await api("POST", "/auth/logout").catch(() => undefined);
    setUser(null);
    setNotice("Vous êtes déconnecté.");
  }, []);

  const ended = useCallback((reason: SessionEndReason) => {
    setUser(null);
    setNotice(ENDED_NOTICES[reason]);
  }, []);

  return <SessionContext.Provider value={{ user, loading, notice, login, logout, ended }}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside SessionProvider");
  return s;
}
