import { CampaignList } from "../shared/CampaignList.tsx";
import { Layout } from "../shared/Layout.tsx";

export default function AgentSpace() {
  return (
    <Layout title="Espace agent">
      <p className="lead">
        Ici, vous prendrez le patient suivant, l'appellerez, noterez le résultat de l'appel et son consentement, et lui proposerez un médecin
        traitant proche qui a de la place.
      </p>
      <CampaignList caption="Campagnes auxquelles vous pouvez participer" />
    </Layout>
  );
}
