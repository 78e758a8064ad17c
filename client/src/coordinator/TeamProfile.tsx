// An MSP's patientèle profile (the 2024 national plan with MSPs), printable: the named patients who
// already see a doctor of the team without having declared them, and, around the team, only counts
// of residents without a GP by commune and age band, small counts masked.
import { useParams } from "react-router";
import { useApi } from "../shared/useApi.ts";

interface Profile {
  team: { id: string; name: string; inseeCode: string | null; communeName?: string | null };
  patients: { count: number; items: { id: string; lastName: string; firstName: string | null; birthDate: string; age: number; commune: string | { name: string } | null; ald: boolean; visits: number | null; doctor: string | null; optOut: boolean }[] };
  residents: { radiusKm: number; minAge: number; threshold: number; bands: string[]; communes: { inseeCode: string; name: string; distanceKm: number; bands: { band: string; count: number | null; label: string }[]; total: { count: number | null; label: string } }[] };
}

const communeName = (c: string | { name: string } | null) => (c === null ? "—" : typeof c === "string" ? c : c.name);

export function TeamProfile() {
  const { teamId = "" } = useParams();
  const { data, error } = useApi<Profile>(`/teams/${teamId}/profile`);
  if (error) return <p role="alert" className="error">{error}</p>;
  if (!data) return <p>Chargement…</p>;
  return (
    <section className="panel team-profile" aria-labelledby="profile-title">
      <h2 id="profile-title">Profil de patientèle — {data.team.name}</h2>
      <button type="button" className="secondary small" onClick={() => window.print()}>Imprimer</button>
      <h3>Patients vus par un médecin de l'équipe, sans médecin traitant déclaré ({data.patients.count})</h3>
      {data.patients.items.length ? (
        <table>
          <caption className="sr-only">Patients à déclarer</caption>
          <thead><tr><th scope="col">Patient</th><th scope="col">Âge</th><th scope="col">Commune</th><th scope="col">ALD</th><th scope="col">Médecin consulté</th><th scope="col">Consultations</th></tr></thead>
          <tbody>{data.patients.items.map((p) => <tr key={p.id}><td>{p.lastName} {p.firstName}{p.optOut ? " (opposé aux appels)" : ""}</td><td>{p.age}</td><td>{communeName(p.commune)}</td><td>{p.ald ? "oui" : "non"}</td><td>{p.doctor ?? "—"}</td><td>{p.visits ?? "—"}</td></tr>)}</tbody>
        </table>
      ) : <p>Aucun.</p>}
      <h3>Habitants sans médecin traitant à moins de {data.residents.radiusKm} km ({data.residents.minAge} ans et plus)</h3>
      <p className="lead">Effectifs seulement ; ceux de moins de {data.residents.threshold} sont masqués.</p>
      {data.residents.communes.length ? (
        <div className="table-scroll" tabIndex={0}>
          <table>
            <caption className="sr-only">Habitants sans médecin traitant par commune et tranche d'âge</caption>
            <thead><tr><th scope="col">Commune</th><th scope="col">Distance</th>{data.residents.bands.map((b) => <th key={b} scope="col">{b}</th>)}<th scope="col">Total</th></tr></thead>
            <tbody>{data.residents.communes.map((c) => <tr key={c.inseeCode}><td>{c.name}</td><td>{c.distanceKm.toLocaleString("fr-FR", { maximumFractionDigits: 1 })} km</td>{c.bands.map((b) => <td key={b.band}>{b.label}</td>)}<td>{c.total.label}</td></tr>)}</tbody>
          </table>
        </div>
      ) : <p>Aucun habitant sans médecin traitant connu alentour.</p>}
    </section>
  );
}
