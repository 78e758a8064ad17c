// GPs and MSP teams with room for the patient, ranked by the server (usual GP, leaving GP's team,
// then distance); one click books a place. The patient's identity is shared only with consent.
import { useCallback, useEffect, useState } from "react";
import { api, ApiError } from "../shared/api.ts";
import { formatDateTime } from "../shared/labels.ts";

interface Candidate {
  kind: "gp" | "team"; id: string; name: string; communeName: string | null; distanceKm: number | null;
  capacityLeft: number; acceptsAld: boolean; doctors: number; basis: "relation" | "retirement_team" | "distance"; note: string | null;
}
interface Orientation { id: string; status: string; holderName: string; kind: string; reservedAt: string; expiresAt: string }
interface Proposals { candidates: Candidate[]; orientation: Orientation | null; reorientReason: string | null; maxDistanceKm: number; located: boolean }

export function ProposalsPanel({ enrolmentId, identityShared }: { enrolmentId: string; identityShared: boolean }) {
  const [data, setData] = useState<Proposals | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setData(await api<Proposals>("GET", "/agent/proposals"));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Propositions indisponibles.");
    }
  }, []);
  useEffect(() => void load(), [load, enrolmentId]);

  async function book(c: Candidate) {
    setBusy(true);
    setError(null);
    try {
      await api("POST", "/agent/orientations", { kind: c.kind, id: c.id });
      setMessage(`Place réservée : ${c.name}. ${c.kind === "team" ? "L'équipe" : "Le médecin"} confirmera par son lien.`);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Réservation impossible.");
    } finally {
      setBusy(false);
      void load();
    }
  }

  return (
    <section className="panel" aria-labelledby="proposals-title">
      <h2 id="proposals-title">Médecins proposés</h2>
      {data?.reorientReason && <p className="notice">À réorienter : {data.reorientReason}</p>}
      {message && <p role="status" className="notice">{message}</p>}
      {error && <p role="alert" className="error">{error}</p>}
      {data?.orientation ? (
        <p className="notice">
          Orientation {data.orientation.status === "confirmed" ? "confirmée" : "réservée"} : <strong>{data.orientation.holderName}</strong>
          {data.orientation.status === "reserved" && <> — en attente de réponse jusqu'au {formatDateTime(data.orientation.expiresAt)}</>}
        </p>
      ) : !data ? <p>Recherche des médecins…</p> : !data.candidates.length ? (
        <p>{data.located ? `Aucun médecin ni équipe avec une place libre à moins de ${data.maxDistanceKm} km.` : "Commune du patient inconnue : seules les propositions hors distance sont possibles."}</p>
      ) : (
        <>
          {!identityShared && <p className="notice">Pour réserver, le patient doit d'abord accepter que son identité soit transmise (consentement 2).</p>}
          <div className="table-scroll" tabIndex={0}>
            <table className="compact">
              <caption className="sr-only">Médecins et équipes proposés, du plus pertinent au moins pertinent</caption>
              <thead><tr><th scope="col">Médecin ou équipe</th><th scope="col">Commune</th><th scope="col">Distance</th><th scope="col">Places libres</th><th scope="col">ALD</th><th scope="col"><span className="sr-only">Action</span></th></tr></thead>
              <tbody>
                {data.candidates.map((c) => (
                  <tr key={c.id}>
                    <td>
                      {c.kind === "team" ? <span className="badge">Équipe</span> : null} {c.name}
                      {c.kind === "team" && <small> ({c.doctors} médecin{c.doctors > 1 ? "s" : ""})</small>}
                      {c.note && <><br /><small className="basis">{c.note}</small></>}
                    </td>
                    <td>{c.communeName ?? "—"}</td>
                    <td>{c.distanceKm === null ? "—" : `${c.distanceKm.toLocaleString("fr-FR")} km`}</td>
                    <td>{c.capacityLeft}</td>
                    <td>{c.acceptsAld ? "oui" : "non"}</td>
                    <td><button type="button" disabled={busy || !identityShared} onClick={() => book(c)} aria-label={`Réserver chez ${c.name}`}>Réserver</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
