// The organisation's GPs and MSP teams with their capacity and places taken, the roster import, and
// the signed links a coordinator prints or sends so each GP or team answers without an account.
import { useEffect, useState } from "react";
import { Link } from "react-router";
import { api, ApiError } from "../shared/api.ts";
import { formatDateTime } from "../shared/labels.ts";
import { useApi } from "../shared/useApi.ts";
import { ImportWizard } from "./ImportWizard.tsx";

interface Gp { email: string | null; id: string; rpps: string; lastName: string; firstName: string | null; inseeCode: string | null; commune: string | null; team: string | null; teamId: string | null; acceptsNew: boolean; capacity: number; taken: number; acceptsAld: boolean }
interface Team { email: string | null; id: string; name: string; inseeCode: string | null; commune: string | null; acceptsNew: boolean; capacity: number; taken: number; acceptsAld: boolean; doctors: number }
interface Link { id: string; holderName: string; email: string | null; purpose: "capacity" | "orientations"; url: string; expiresAt: string; canEmail: boolean }

const PURPOSE_LABEL = { capacity: "déclarer sa capacité", orientations: "répondre aux orientations" } as const;
const SHOWN = 200;

/** « Saint-Étienne (42218) »; the code alone when the commune is unknown. */
const communeOf = (h: { commune: string | null; inseeCode: string | null }) => (h.inseeCode ? (h.commune ? `${h.commune} (${h.inseeCode})` : h.inseeCode) : "—");

export function GpRoster() {
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  useEffect(() => {
    const t = setTimeout(() => setQuery(search.trim()), 300);
    return () => clearTimeout(t);
  }, [search]);
  const gps = useApi<{ total: number; gps: Gp[] }>(`/gps?limit=${SHOWN}&q=${encodeURIComponent(query)}`);
  const teams = useApi<Team[]>("/teams");
  const [link, setLink] = useState<Link | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [emailTo, setEmailTo] = useState("");

  async function makeLink(kind: "gp" | "team", id: string, holderName: string, purpose: Link["purpose"]) {
    setError(null);
    setSentTo(null);
    try {
      const made = await api<{ id: string; url: string; expiresAt: string; canEmail: boolean }>("POST", "/links", { kind, id, purpose, validDays: 30 });
      const email = (kind === "gp" ? gps.data?.gps.find((g) => g.id === id)?.email : teams.data?.find((t) => t.id === id)?.email) ?? null;
      setLink({ id: made.id, holderName, email, purpose, url: made.url, expiresAt: made.expiresAt, canEmail: made.canEmail });
      setEmailTo(email ?? "");
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Création du lien impossible.");
    }
  }
  async function sendLink() {
    if (!link) return;
    setError(null);
    try {
      const r = await api<{ sentTo: string }>("POST", `/links/${link.id}/send`, emailTo.trim() ? { email: emailTo.trim() } : {});
      setSentTo(r.sentTo);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Envoi impossible.");
    }
  }
  const linkButtons = (kind: "gp" | "team", id: string, name: string) => (
    <>
      <button type="button" className="secondary small" onClick={() => makeLink(kind, id, name, "capacity")} aria-label={`Lien capacité pour ${name}`}>Lien capacité</button>{" "}
      <button type="button" className="secondary small" onClick={() => makeLink(kind, id, name, "orientations")} aria-label={`Lien orientations pour ${name}`}>Lien orientations</button>
    </>
  );
  const reload = () => {
    gps.reload();
    teams.reload();
  };

  return (
    <section className="panel" aria-labelledby="gps-title">
      <h2 id="gps-title">Médecins et équipes de l'organisation</h2>
      {error && <p role="alert" className="error">{error}</p>}
      {link && (
        <div className="notice link-made" role="status">
          <p>Lien pour <strong>{link.holderName}</strong> ({PURPOSE_LABEL[link.purpose]}), valable jusqu'au {formatDateTime(link.expiresAt)}, à imprimer ou à envoyer :</p>
          <p><code className="link-url">{link.url}</code></p>
          <div className="inline-form">
            <button type="button" className="secondary small" onClick={() => void navigator.clipboard?.writeText(link.url)}>Copier le lien</button>
            {link.canEmail && (
              <>
                <label className="field"><span>Adresse e-mail</span><input type="email" value={emailTo} onChange={(e) => setEmailTo(e.target.value)} /></label>
                <button type="button" className="small" onClick={sendLink}>Envoyer par e-mail</button>
              </>
            )}
          </div>
          {sentTo && <p>Lien envoyé à {sentTo}.</p>}
        </div>
      )}
      <h3>Équipes (MSP) — capacité commune</h3>
      {teams.data?.length ? (
        <table>
          <caption className="sr-only">Équipes</caption>
          <thead><tr><th scope="col">Équipe</th><th scope="col">Médecins</th><th scope="col">Commune</th><th scope="col">Nouveaux patients</th><th scope="col">Places prises / ouvertes</th><th scope="col">ALD</th><th scope="col">Liens</th></tr></thead>
          <tbody>
            {teams.data.map((t) => (
              <tr key={t.id}><td>{t.name}</td><td>{t.doctors}</td><td>{communeOf(t)}</td><td>{t.acceptsNew ? "oui" : "non"}</td><td>{t.taken} / {t.capacity}</td><td>{t.acceptsAld ? "oui" : "non"}</td><td>{linkButtons("team", t.id, t.name)} <Link to={`/coordination/equipes/${t.id}/profil`}>Profil de patientèle</Link></td></tr>
            ))}
          </tbody>
        </table>
      ) : <p>Aucune équipe.</p>}
      <h3>Médecins</h3>
      <label className="field">
        <span>Rechercher un médecin (nom, commune, équipe ou RPPS)</span>
        <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
      </label>
      {gps.data && (
        <p role="status">
          {gps.data.total === 0 ? (query ? "Aucun médecin ne correspond à la recherche." : "") : `${gps.data.total.toLocaleString("fr-FR")} médecin${gps.data.total > 1 ? "s" : ""}${query ? " trouvé" + (gps.data.total > 1 ? "s" : "") : ""}`}
          {gps.data.total > gps.data.gps.length && ` ; les ${gps.data.gps.length} premiers par nom sont affichés, précisez la recherche pour voir les autres.`}
        </p>
      )}
      {gps.data?.gps.length ? (
        <div className="table-scroll" tabIndex={0}>
          <table>
            <caption className="sr-only">Annuaire des médecins</caption>
            <thead><tr><th scope="col">RPPS</th><th scope="col">Médecin</th><th scope="col">Commune</th><th scope="col">MSP / équipe</th><th scope="col">Nouveaux patients</th><th scope="col">Places prises / ouvertes</th><th scope="col">ALD</th><th scope="col">Liens</th></tr></thead>
            <tbody>
              {gps.data.gps.map((g) => {
                const name = `Dr ${g.lastName} ${g.firstName ?? ""}`.trim();
                return (
                  <tr key={g.id}>
                    <td>{g.rpps}</td><td>{g.lastName} {g.firstName}</td><td>{communeOf(g)}</td><td>{g.team ?? "—"}</td><td>{g.acceptsNew ? "oui" : "non"}</td>
                    <td>{g.teamId ? <small>par l'équipe</small> : `${g.taken} / ${g.capacity}`}</td><td>{g.acceptsAld ? "oui" : "non"}</td>
                    <td>{g.teamId ? <small>lien de l'équipe</small> : linkButtons("gp", g.id, name)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : !query && gps.data ? <p>Aucun médecin importé.</p> : null}
      <ImportWizard target={{ kind: "gps" }} onDone={reload} />
    </section>
  );
}
