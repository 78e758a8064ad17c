import { lazy, StrictMode, Suspense, type ReactNode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import type { Role } from "../../shared-types/events.ts";
import { LoginPage } from "./LoginPage.tsx";
import { ROLE_HOME } from "./shared/labels.ts";
import { SessionProvider, useSession } from "./shared/session.tsx";
import "./styles.css";

// One bundle per role: an agent's browser never downloads the admin screens.
const AgentSpace = lazy(() => import("./agent/AgentSpace.tsx"));
const SupervisorSpace = lazy(() => import("./supervisor/SupervisorSpace.tsx"));
const CoordinatorSpace = lazy(() => import("./coordinator/CoordinatorSpace.tsx"));
const AdminSpace = lazy(() => import("./admin/AdminSpace.tsx"));
/** The aggregates supervisors read (campaign report, territory, before/after), shared with the coordinators. */
const SupervisorReports = lazy(() => import("./supervisor/SupervisorReports.tsx"));
/** A GP's or team's link: no account, the signed token is the credential. */
const GpLinkPage = lazy(() => import("./gp-link/GpLinkPage.tsx"));

function RoleRoute({ role, children }: { role: Role; children: ReactNode }) {
  const { user } = useSession();
  if (!user) return <Navigate to="/connexion" replace />;
  if (user.role !== role) return <Navigate to={ROLE_HOME[user.role]} replace />;
  return <Suspense fallback={<p className="content">Chargement…</p>}>{children}</Suspense>;
}

function App() {
  const { user, loading } = useSession();
  if (loading) return <p className="content">Chargement…</p>;
  const home = user ? ROLE_HOME[user.role] : "/connexion";
  return (
    <Routes>
      <Route path="/connexion" element={user ? <Navigate to={home} replace /> : <LoginPage />} />
      <Route path="/agent/*" element={<RoleRoute role="agent"><AgentSpace /></RoleRoute>} />
      <Route path="/supervision/rapports/*" element={<RoleRoute role="supervisor"><SupervisorReports /></RoleRoute>} />
      <Route path="/supervision/*" element={<RoleRoute role="supervisor"><SupervisorSpace /></RoleRoute>} />
      <Route path="/coordination/*" element={<RoleRoute role="coordinator"><CoordinatorSpace /></RoleRoute>} />
      <Route path="/admin/*" element={<RoleRoute role="admin"><AdminSpace /></RoleRoute>} />
      <Route path="*" element={<Navigate to={home} replace />} />
    </Routes>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <BrowserRouter>
      <Routes>
        {/* A GP's link asks nothing of a session: no account, no « who is connected » request. */}
        <Route path="/lien/:token" element={<Suspense fallback={<p className="content">Chargement…</p>}><GpLinkPage /></Suspense>} />
        <Route path="*" element={<SessionProvider><App /></SessionProvider>} />
      </Routes>
    </BrowserRouter>
  </StrictMode>,
);
