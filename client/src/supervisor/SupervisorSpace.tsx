import { useEffect, useState } from "react";
import type { Role } from "../../../shared-types/events.ts";
import { CampaignList } from "../shared/CampaignList.tsx";
import { ROLE_LABELS } from "../shared/labels.ts";
import { Layout } from "../shared/Layout.tsx";
import { connectLive } from "../shared/socket.ts";

export default function SupervisorSpace() {
  const [counts, setCounts] = useState<Record<Role, number> | null>(null);
  useEffect(() => {
    const live = connectLive();
    const update = (p: { counts: Record<Role, number> }) => setCounts(p.counts);
    live.on("presence:counts", update);
    return () => {
      live.off("presence:counts", update);
    };
  }, []);
  return (
    <Layout title="Supervision">
      <p className="lead">Le tableau de bord en direct des agents, des appels en cours et de l'avancement des campagnes s'affichera ici.</p>
      <section aria-labelledby="presence-title" className="panel">
        <h2 id="presence-title">Utilisateurs connectés</h2>
        {counts ? (
          <ul className="counts">
            {(Object.keys(counts) as Role[]).map((r) => (
              <li key={r}>
                <strong>{counts[r]}</strong> {ROLE_LABELS[r].toLowerCase()}
                {counts[r] > 1 ? "s" : ""}
              </li>
            ))}
          </ul>
        ) : (
          <p>En attente des données en direct…</p>
        )}
      </section>
      <CampaignList />
    </Layout>
  );
}
