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
      <GpRoster />
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
      <ImportWizard target={{ kind: "patients", campaignId: campaign.id }} onDone={refresh} />
      {data && <CallingRulesForm key={`${data.status}`} campaign={data} onSaved={refresh} />}
    </section>
  );
}

interface Gp { id: string; rpps: string; lastName: string; firstName: string | null; inseeCode: string | null; team: string | null; acceptsNew: boolean; capacity: number; acceptsAld: boolean }

function GpRoster() {
  const { data, reload } = useApi<Gp[]>("/gps");
  return (
    <section className="panel" aria-labelledby="gps-title">
      <h2 id="gps-title">Médecins de l'organisation</h2>
      {data?.length ? (
        <table>
          <caption className="sr-only">Annuaire des médecins</caption>
          <thead><tr><th scope="col">RPPS</th><th scope="col">Médecin</th><th scope="col">Commune</th><th scope="col">MSP / équipe</th><th scope="col">Nouveaux patients</th><th scope="col">Places</th><th scope="col">ALD</th></tr></thead>
          <tbody>
            {data.map((g) => (
              <tr key={g.id}><td>{g.rpps}</td><td>{g.lastName} {g.firstName}</td><td>{g.inseeCode ?? "—"}</td><td>{g.team ?? "—"}</td><td>{g.acceptsNew ? "oui" : "non"}</td><td>{g.capacity}</td><td>{g.acceptsAld ? "oui" : "non"}</td></tr>
            ))}
          </tbody>
        </table>
      ) : <p>Aucun médecin importé.</p>}
      <ImportWizard target={{ kind: "gps" }} onDone={reload} />
    </section>
  );
}
