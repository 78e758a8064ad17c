import { useCallback, useState } from "react";
import { NavLink, Route, Routes, useSearchParams } from "react-router";
import { CampaignList, type Campaign } from "../shared/CampaignList.tsx";
import { CAMPAIGN_TYPE_LABELS } from "../shared/labels.ts";
import { Layout } from "../shared/Layout.tsx";
import { useApi } from "../shared/useApi.ts";
import { CreateCampaignForm } from "./CreateCampaignForm.tsx";
import { ImportWizard } from "./ImportWizard.tsx";
import { CallingRulesForm, type CampaignRules } from "./CallingRulesForm.tsx";
import { GpRoster } from "./GpRoster.tsx";
import { OrientationsPanel } from "./OrientationsPanel.tsx";
import { ScriptEditor } from "./ScriptEditor.tsx";
import { DeclarationsPanel } from "./DeclarationsPanel.tsx";
import { OppositionsPanel } from "./OppositionsPanel.tsx";
import { TeamProfile } from "./TeamProfile.tsx";
import { WhyNotCalled } from "./WhyNotCalled.tsx";
import ReportsSpace from "./reports/ReportsSpace.tsx";

/** The coordinator's sections, one page each (URL under /coordination). */
const SECTIONS = [
  { path: "", label: "Campagnes" },
  { path: "medecins", label: "Médecins et équipes" },
  { path: "orientations", label: "Orientations" },
  { path: "declarations", label: "Déclarations" },
  { path: "oppositions", label: "Oppositions" },
  { path: "rapports", label: "Rapports" },
] as const;

export default function CoordinatorSpace() {
  return (
    <Layout title="Coordination">
      <nav className="sections" aria-label="Sections de la coordination">
        {SECTIONS.map((x) => <NavLink key={x.path} to={`/coordination/${x.path}`} end>{x.label}</NavLink>)}
      </nav>
      <Routes>
        <Route index element={<Campaigns />} />
        <Route path="medecins" element={<GpRoster />} />
        <Route path="equipes/:teamId/profil" element={<TeamProfile />} />
        <Route path="orientations" element={<OrientationsPanel />} />
        <Route path="declarations" element={<DeclarationsPanel />} />
        <Route path="oppositions" element={<OppositionsPanel />} />
        <Route path="rapports/*" element={<ReportsSpace />} />
      </Routes>
    </Layout>
  );
}

/** The campaign open below the list is in the address (« ?campagne=… »): a reload, the back button or a link keep it. */
function Campaigns() {
  const [reloadKey, setReloadKey] = useState(0);
  const [params, setParams] = useSearchParams();
  const selectedId = params.get("campagne");
  const open = (campaign: Pick<Campaign, "id">) => setParams({ campagne: campaign.id });
  return (
    <>
      <p className="lead">Créez les campagnes, importez les listings des caisses et suivez l'éligibilité des patients.</p>
      <CampaignList onSelect={open} selectedId={selectedId ?? undefined} reloadKey={reloadKey} />
      <CreateCampaignForm onCreated={(campaign) => { setReloadKey((k) => k + 1); open(campaign); }} />
      {selectedId && <CampaignPanel key={selectedId} campaignId={selectedId} />}
    </>
  );
}

function CampaignPanel({ campaignId }: { campaignId: string }) {
  const { data, error, reload } = useApi<Campaign & CampaignRules & { counts: { enrolled: number; eligible: number } }>(`/campaigns/${encodeURIComponent(campaignId)}`);
  const refresh = useCallback(() => reload(), [reload]);
  // until it is read (a campaign opened from the address: its name comes with it), or why it cannot be (not found)
  if (!data) return <section className="panel" aria-label="Campagne">{error ? <p role="alert" className="error">{error}</p> : <p>Chargement de la campagne…</p>}</section>;
  return (
    <section className="panel" aria-labelledby="campaign-title">
      <h2 id="campaign-title">
        {data.name} <small>— {CAMPAIGN_TYPE_LABELS[data.type]}</small>
      </h2>
      <p>
        <strong>{data.counts.enrolled}</strong> patients importés, dont <strong>{data.counts.eligible}</strong> éligibles.{" "}
        <a href={`/api/campaigns/${data.id}/patients?format=csv`} download>Exporter les patients (CSV)</a>
      </p>
      {data.status === "closed"
        ? <p className="notice">Campagne clôturée : elle ne reçoit plus de listing.</p>
        : <ImportWizard target={{ kind: "patients", campaignId: data.id }} onDone={refresh} />}
      <CallingRulesForm key={`${data.status}`} campaign={data} onSaved={refresh} />
      <ScriptEditor campaignId={data.id} />
      <WhyNotCalled campaignId={data.id} />
    </section>
  );
}
