import { useState, type FormEvent } from "react";
import { api, ApiError } from "../shared/api.ts";
import type { Campaign } from "../shared/CampaignList.tsx";
import { Field } from "../shared/Field.tsx";

/** A new campaign; once created it is opened (`onCreated`), since importing its listing comes next. */
export function CreateCampaignForm({ onCreated }: { onCreated: (campaign: Campaign) => void }) {
  const [name, setName] = useState("");
  const [type, setType] = useState("ald-sans-mt");
  const [leavingGpRpps, setLeavingGpRpps] = useState("");
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const campaign = await api<Campaign>("POST", "/campaigns", { name, type, ...(type === "retirement" ? { leavingGpRpps } : {}) });
      setName("");
      onCreated(campaign);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Création impossible.");
    }
  }
  return (
    <form onSubmit={submit} className="panel inline-form" aria-labelledby="new-campaign">
      <h2 id="new-campaign">Nouvelle campagne</h2>
      {error && <p role="alert" className="error">{error}</p>}
      <Field label="Nom de la campagne">{(id) => <input id={id} required value={name} onChange={(e) => setName(e.target.value)} />}</Field>
      <Field label="Type">
        {(id) => (
          <select id={id} value={type} onChange={(e) => setType(e.target.value)}>
            <option value="ald-sans-mt">ALD sans médecin traitant</option>
            <option value="retirement">Cessation d'activité d'un médecin</option>
            <option value="regularisation">Régularisation</option>
          </select>
        )}
      </Field>
      {type === "retirement" && (
        <Field label="RPPS du médecin qui part">
          {(id) => <input id={id} inputMode="numeric" pattern="\d{11}" required value={leavingGpRpps} onChange={(e) => setLeavingGpRpps(e.target.value)} />}
        </Field>
      )}
      <button type="submit">Créer la campagne</button>
    </form>
  );
}
