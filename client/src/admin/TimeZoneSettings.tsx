import { useState, type FormEvent } from "react";
import { FRENCH_TIME_ZONES, timeZoneName, type FrenchTimeZone } from "../../../shared-types/timeZones.ts";
import { api } from "../shared/api.ts";
import { useAction } from "../shared/useAction.ts";
import { Field } from "../shared/Field.tsx";
import { setOrganisationTimeZone } from "../shared/labels.ts";
import { useApi } from "../shared/useApi.ts";

export const timeZoneLabel = (zone: string) => `${timeZoneName(zone)} (${zone})`;

export function TimeZoneOptions() {
  return (Object.keys(FRENCH_TIME_ZONES) as FrenchTimeZone[]).map((z) => <option key={z} value={z}>{timeZoneLabel(z)}</option>);
}

export function TimeZoneSettings() {
  const { data, error, reload } = useApi<{ timeZone: FrenchTimeZone }>("/organisation/time-zone");
  const [zone, setZone] = useState<FrenchTimeZone | "">("");
  const { message, failure, run } = useAction();
  function save(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const saved = await api<{ timeZone: FrenchTimeZone }>("PUT", "/organisation/time-zone", { timeZone: zone || data?.timeZone });
      setOrganisationTimeZone(saved.timeZone);
      reload();
      return `Fuseau horaire enregistré : ${timeZoneLabel(saved.timeZone)}.`;
    }, "Enregistrement impossible.");
  }
  return (
    <section className="panel" aria-labelledby="time-zone-title">
      <h2 id="time-zone-title">Fuseau horaire de l'organisation</h2>
      <p className="lead">
        La journée de travail du tableau de supervision (« aujourd'hui »), les jours et les heures des rapports et les dates des exports suivent ce fuseau.
        Les plages d'appel de chaque patient suivent toujours l'heure locale de sa commune.
      </p>
      {(error || failure) && <p role="alert" className="error">{error ?? failure}</p>}
      {message && <p role="status" className="notice">{message}</p>}
      {data && (
        <form className="inline-form" onSubmit={save}>
          <Field label="Fuseau horaire">
            {(id) => (
              <select id={id} value={zone || data.timeZone} onChange={(e) => setZone(e.target.value as FrenchTimeZone)}>
                <TimeZoneOptions />
              </select>
            )}
          </Field>
          <button type="submit">Enregistrer</button>
        </form>
      )}
    </section>
  );
}
