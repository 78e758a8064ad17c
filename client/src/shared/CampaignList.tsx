import { CAMPAIGN_STATUS_LABELS, CAMPAIGN_TYPE_LABELS, formatDateTime } from "./labels.ts";
import { useApi } from "./useApi.ts";

export interface Campaign {
  id: string;
  name: string;
  type: string;
  status: string;
  createdAt: string;
}

/** The organisation's campaigns; with `onSelect`, each can be opened, the one open (`selectedId`) marked. */
export function CampaignList({ caption = "Campagnes de l'organisation", onSelect, selectedId, reloadKey = 0 }: { caption?: string; onSelect?: (c: Campaign) => void; selectedId?: string; reloadKey?: number }) {
  const { data, error } = useApi<Campaign[]>(`/campaigns?k=${reloadKey}`);
  if (error) return <p role="alert" className="error">{error}</p>;
  if (!data) return <p>Chargement…</p>;
  if (!data.length) return <p>Aucune campagne pour le moment.</p>;
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Campagne</th>
          <th scope="col">Type</th>
          <th scope="col">État</th>
          <th scope="col">Créée le</th>
          {onSelect && <th scope="col"><span className="sr-only">Action</span></th>}
        </tr>
      </thead>
      <tbody>
        {data.map((c) => (
          <tr key={c.id} aria-current={c.id === selectedId ? "true" : undefined}>
            <td>{c.name}</td>
            <td>{CAMPAIGN_TYPE_LABELS[c.type] ?? c.type}</td>
            <td>{CAMPAIGN_STATUS_LABELS[c.status] ?? c.status}</td>
            <td>{formatDateTime(c.createdAt)}</td>
            {onSelect && (
              <td>
                {c.id === selectedId ? <span className="muted">Ouverte ci-dessous</span> : (
                  <button type="button" className="secondary" onClick={() => onSelect(c)}>
                    Ouvrir<span className="sr-only"> {c.name}</span>
                  </button>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
