import { useCallback, useState } from "react";
import { CampaignList, type Campaign } from "../shared/CampaignList.tsx";
import { CAMPAIGN_TYPE_LABELS } from "../shared/labels.ts";
import { Layout } from "../shared/Layout.tsx";
import { useApi } from "../shared/useApi.ts";
import { CreateCampaignForm } from "./CreateCampaignForm.tsx";
import { ImportWizard } from "./ImportWizard.tsx";
import { CallingRulesForm, type CampaignRules } from "./CallingRulesForm.tsx";

export default function CoordinatorSpace() {
  const [reloadKey, setReloadKey] = useState(0);
  const [selected, setSelected] = useState<Campaign | null>(null);
  return (
    <Layout title="Coordination">
      <p className="lead">Créez les campagnes, importez les listings des caisses et suivez l'éligibilité des patients.</p>
      <CampaignList onSelect={setSelected} reloadKey={reloadKey} />
      <CreateCampaignForm onCreated={() => setReloadKey((k) => k + 1)} />
      {selected && <CampaignPanel key={selected.id} campaign={selected} />}
    </Layout>
  );
}

function CampaignPanel({ campaign }: { campaign: Campaign }) {
  const { data, reload } = useApi<Campaign & CampaignRules & { counts: { enrolled: number; eligible: number } }>(`/campaigns/${campaign.id}`);
  const refresh = useCallback(() => reload(), [reload]);
  return (
    <section className="panel" aria-labelledby="campaign-title">
      <h2 id="campaign-title">
        {campaign.name} <small>— {CAMPAIGN_TYPE_LABELS[campaign.type]}</small>
      </h2>
      {data && (
        <p>
          <strong>{data.counts.enrolled}</strong> patients importés, dont <strong>{data.counts.eligible}</strong> éligibles.{" "}
          <a href={`/api/campaigns/${campaign.id}/patients?format=csv`} download>Exporter les patients (CSV)</a>
        </p>
      )}
      <ImportWizard campaignId={campaign.id} onDone={refresh} />
      {data && <CallingRulesForm key={`${data.status}`} campaign={data} onSaved={refresh} />}
    </section>
  );
}
