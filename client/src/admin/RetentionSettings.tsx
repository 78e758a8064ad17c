import { useState, type FormEvent } from "react";
import { api } from "../shared/api.ts";
import { useAction } from "../shared/useAction.ts";
import { Field } from "../shared/Field.tsx";
import { formatDateTime } from "../shared/labels.ts";
import { useApi } from "../shared/useApi.ts";

interface Settings {
  months: number;
  cutoff: string;
  dueNow: number;
  erasedTotal: number;
  abandonedUploadDays: number;
  runs: { at: string; actor: string | null; erased: number; filesDeleted: number; months: number }[];
}

export function RetentionSettings() {
  const { data, error, reload } = useApi<Settings>("/organisation/retention");
  const [months, setMonths] = useState<string>("");
  const { message, failure, run } = useAction();
  const [confirming, setConfirming] = useState(false);
  function save(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      await api("PUT", "/organisation/retention", { months: Number(months || data?.months) });
      reload();
      return "Durée de conservation enregistrée.";
    }, "Enregistrement impossible.");
  }
  function runNow() {
    setConfirming(false);
    void run(async () => {
      const r = await api<{ erased: number; filesDeleted: number }>("POST", "/organisation/retention/run");
      reload();
      return `Conservation appliquée : ${r.erased} identité(s) effacée(s), ${r.filesDeleted} dépôt(s) abandonné(s) supprimé(s).`;
    }, "Exécution impossible.");
  }
  return (
    <section className="panel" aria-labelledby="retention-title">
      <h2 id="retention-title">Conservation des données</h2>
      <p className="lead">
        Les identités des patients dont toutes les campagnes sont clôturées depuis plus de la durée choisie sont effacées chaque nuit :
        nom, prénom, identifiants, téléphones, adresse et lignes des listings. Restent les comptes des rapports, les consentements et le journal d'audit.
        Un fichier de listing déposé est supprimé dès la fin de son import{data ? <> ; un dépôt dont la correspondance des colonnes n'est pas
        confirmée sous {data.abandonedUploadDays} jours est abandonné et son fichier supprimé</> : null}.
      </p>
      {(error || failure) && <p role="alert" className="error">{error ?? failure}</p>}
      {message && <p role="status" className="notice">{message}</p>}
      {data && (
        <>
          <form className="inline-form" onSubmit={save}>
            <Field label="Durée de conservation après la clôture (mois)" hint="de 1 à 120 mois ; 24 par défaut">
              {(id, hint) => <input id={id} type="number" min={1} max={120} required aria-describedby={hint} value={months || String(data.months)} onChange={(e) => setMonths(e.target.value)} />}
            </Field>
            <button type="submit">Enregistrer</button>
            <button type="button" className="secondary" onClick={() => (data.dueNow > 0 ? setConfirming(true) : runNow())}>Appliquer maintenant</button>
          </form>
          {confirming && (
            <div className="notice" role="alertdialog" aria-labelledby="retention-confirm">
              <p id="retention-confirm">
                Effacer maintenant l'identité de <strong>{data.dueNow}</strong> patient(s) ? L'effacement est définitif : nom, prénom, identifiants,
                téléphones et adresse ne pourront pas être retrouvés.
              </p>
              <button type="button" onClick={runNow}>Effacer maintenant</button>{" "}
              <button type="button" className="secondary" onClick={() => setConfirming(false)}>Annuler</button>
            </div>
          )}
          <p>
            Campagnes clôturées avant le <strong>{formatDateTime(data.cutoff)}</strong> : <strong>{data.dueNow}</strong> patient(s) à effacer à la prochaine exécution ;{" "}
            <strong>{data.erasedTotal}</strong> identité(s) déjà effacée(s).
          </p>
          <h3>Dernières exécutions</h3>
          {data.runs.length ? (
            <table>
              <thead><tr><th scope="col">Date</th><th scope="col">Par</th><th scope="col">Durée</th><th scope="col">Identités effacées</th><th scope="col">Dépôts abandonnés supprimés</th></tr></thead>
              <tbody>{data.runs.map((r) => <tr key={r.at}><td>{formatDateTime(r.at)}</td><td>{r.actor ?? "tâche planifiée"}</td><td>{r.months} mois</td><td>{r.erased}</td><td>{r.filesDeleted}</td></tr>)}</tbody>
            </table>
          ) : <p>Aucune exécution pour le moment (la tâche passe chaque nuit à 2 h 30).</p>}
        </>
      )}
    </section>
  );
}
