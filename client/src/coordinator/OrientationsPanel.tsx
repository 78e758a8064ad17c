// Orientations to follow up: waiting for the GP's answer, expired, declined; a coordinator can answer
// for a GP or team who phoned (logged as such).
import { useState } from "react";
import { api, ApiError } from "../shared/api.ts";
import { formatDateTime } from "../shared/labels.ts";
import { useApi } from "../shared/useApi.ts";

interface Orientation {
  id: string; status: string; holderName: string; teamId: string | null; lastName?: string; firstName?: string | null;
  reservedAt: string; expiresAt: string; answeredAt: string | null; answeredByLabel: string | null; declineReason: string | null;
}
const STATUS: Record<string, string> = { reserved: "en attente de réponse", confirmed: "confirmées", declined: "refusées", expired: "expirées sans réponse" };

export function OrientationsPanel() {
  const [status, setStatus] = useState("reserved");
  const { data, reload } = useApi<Orientation[]>(`/orientations?status=${status}`);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  async function answer(o: Orientation, decision: "confirm" | "decline") {
    setError(null);
    const reason = decision === "decline" ? window.prompt(`Motif du refus de ${o.holderName} ?`) : null;
    if (decision === "decline" && !reason) return;
    try {
      await api("POST", `/orientations/${o.id}/answer`, decision === "confirm" ? { decision } : { decision, reason });
      setNotice(`Réponse enregistrée pour le compte de ${o.holderName}.`);
      reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Réponse impossible.");
    }
  }

  return (
    <section className="panel" aria-labelledby="orientations-title">
      <h2 id="orientations-title">Orientations</h2>
      <div className="inline-form" role="group" aria-label="Filtrer les orientations">
        {Object.entries(STATUS).map(([k, label]) => (
          <button key={k} type="button" className={k === status ? "" : "secondary"} aria-pressed={k === status} onClick={() => setStatus(k)}>{label[0].toUpperCase() + label.slice(1)}</button>
        ))}
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {notice && <p role="status" className="notice">{notice}</p>}
      {!data ? <p>Chargement…</p> : !data.length ? <p>Aucune orientation {STATUS[status]}.</p> : (
        <div className="table-scroll" tabIndex={0}>
          <table>
            <caption className="sr-only">Orientations {STATUS[status]}</caption>
            <thead><tr><th scope="col">Patient</th><th scope="col">Médecin ou équipe</th><th scope="col">Réservée le</th><th scope="col">{status === "reserved" ? "Sans réponse, libérée le" : "Réponse"}</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {data.map((o) => (
                <tr key={o.id}>
                  <td>{o.lastName} {o.firstName}</td>
                  <td>{o.holderName}</td>
                  <td>{formatDateTime(o.reservedAt)}</td>
                  <td>{status === "reserved" ? formatDateTime(o.expiresAt) : o.answeredAt ? `${formatDateTime(o.answeredAt)} — ${o.answeredByLabel ?? ""}${o.declineReason ? ` : ${o.declineReason}` : ""}` : "—"}</td>
                  <td>
                    {o.status === "reserved" && !o.teamId && <button type="button" className="secondary" onClick={() => answer(o, "confirm")}>Confirmer pour le médecin</button>}
                    {o.status === "reserved" && <button type="button" className="secondary" onClick={() => answer(o, "decline")}>Refus du médecin</button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
