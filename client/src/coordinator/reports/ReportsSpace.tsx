// The reports (/coordination/rapports/…, and for supervisors, who read the aggregates, /supervision/rapports/…):
// campaign report, territorial diagnosis, before/after, and for coordinators the patients' rights. Printable: the
// print stylesheet keeps the report only.
import { NavLink, Route, Routes, Link } from "react-router";
import { CampaignList } from "../../shared/CampaignList.tsx";
import { useApi } from "../../shared/useApi.ts";
import type { Campaign } from "../../shared/CampaignList.tsx";
import { CAMPAIGN_STATUS_LABELS } from "../../shared/labels.ts";
import { CampaignReportPage } from "./CampaignReportPage.tsx";
import { TerritoryPage } from "./TerritoryPage.tsx";
import { BeforeAfterPage } from "./BeforeAfterPage.tsx";
import { PatientRightsPage } from "./PatientRightsPage.tsx";
import { useSession } from "../../shared/session.tsx";
import "./reports.css";

const PAGES = [
  { path: "", label: "Campagnes" },
  { path: "territoire", label: "Diagnostic territorial" },
  { path: "avant-apres", label: "Bilan avant / après" },
  { path: "droits", label: "Droits des patients", coordinatorOnly: true },
];

export default function ReportsSpace({ base = "/coordination/rapports" }: { base?: string }) {
  const coordinator = useSession().user?.role === "coordinator";
  return (
    <div className="reports">
      <nav className="subsections" aria-label="Rapports">
        {PAGES.filter((p) => coordinator || !p.coordinatorOnly).map((p) => <NavLink key={p.path} to={`${base}/${p.path}`} end>{p.label}</NavLink>)}
      </nav>
      <Routes>
        <Route index element={<CampaignPicker base={base} />} />
        <Route path="campagnes/:campaignId" element={<CampaignReportPage />} />
        <Route path="territoire" element={<TerritoryPage />} />
        <Route path="avant-apres" element={<BeforeAfterPage />} />
        {coordinator && <Route path="droits" element={<PatientRightsPage />} />}
      </Routes>
    </div>
  );
}

function CampaignPicker({ base }: { base: string }) {
  const { data, error } = useApi<Campaign[]>("/campaigns");
  if (error) return <p role="alert" className="error">{error}</p>;
  return (
    <section className="panel" aria-labelledby="pick-title">
      <h2 id="pick-title">Rapport de campagne</h2>
      <p className="lead">Entonnoir, résultats des appels, joignabilité par heure et par jour, agents, médecins et équipes, communes et délais d'orientation.</p>
      {!data ? <p>Chargement…</p> : data.length ? (
        <ul className="link-list">
          {data.map((c) => <li key={c.id}><Link to={`${base}/campagnes/${c.id}`}>{c.name}</Link> <small>({CAMPAIGN_STATUS_LABELS[c.status] ?? c.status})</small></li>)}
        </ul>
      ) : <CampaignList />}
    </section>
  );
}
