// The organisation's telephony: simulator, manual (agents dial from their phone) or Twilio (account,
// caller id, softphone or agent's phone bridged), and a test call. Secrets are written, never read back.
import { useEffect, useState, type FormEvent } from "react";
import { api, ApiError } from "../shared/api.ts";
import { Field } from "../shared/Field.tsx";
import { useApi } from "../shared/useApi.ts";

interface Settings {
  provider: "simulator" | "manual" | "twilio"; twilioAccountSid: string | null; twilioAuthTokenSet: boolean; twilioCallerId: string | null;
  twilioTwimlAppSid: string | null; twilioApiKeySid: string | null; twilioApiKeySecretSet: boolean; twilioAgentLeg: "softphone" | "agent_phone";
}
const PROVIDERS = { simulator: "Simulateur (démonstration, formation)", manual: "Manuel : l'agent compose depuis son téléphone", twilio: "Twilio" } as const;

export function TelephonySettings() {
  const { data, reload } = useApi<Settings>("/organisation/telephony");
  const [form, setForm] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [testTo, setTestTo] = useState("");
  useEffect(() => {
    if (data) setForm({ provider: data.provider, twilioAccountSid: data.twilioAccountSid ?? "", twilioCallerId: data.twilioCallerId ?? "", twilioTwimlAppSid: data.twilioTwimlAppSid ?? "", twilioApiKeySid: data.twilioApiKeySid ?? "", twilioAgentLeg: data.twilioAgentLeg, twilioAuthToken: "", twilioApiKeySecret: "" });
  }, [data]);
  const set = (k: string) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNotice(null);
    const body = Object.fromEntries(Object.entries(form).filter(([k, v]) => v !== "" && (form.provider === "twilio" || k === "provider")));
    try {
      await api("PUT", "/organisation/telephony", body);
      setNotice("Téléphonie enregistrée.");
      reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Enregistrement impossible.");
    }
  }
  async function testCall() {
    setError(null);
    setNotice(null);
    try {
      setNotice((await api<{ message: string }>("POST", "/organisation/telephony/test-call", { to: testTo })).message);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Appel de test impossible.");
    }
  }
  if (!data) return null;
  const text = (k: string, label: string, hint?: string, type = "text") => (
    <Field label={label} hint={hint}>{(id, h) => <input id={id} type={type} aria-describedby={h} value={form[k] ?? ""} onChange={set(k)} autoComplete="off" />}</Field>
  );
  return (
    <section className="panel" aria-labelledby="telephony-title">
      <h2 id="telephony-title">Téléphonie</h2>
      {error && <p role="alert" className="error">{error}</p>}
      {notice && <p role="status" className="notice">{notice}</p>}
      <form onSubmit={save}>
        <div className="inline-form">
          <Field label="Fournisseur">
            {(id) => <select id={id} value={form.provider ?? "simulator"} onChange={set("provider")}>{Object.entries(PROVIDERS).map(([k, v]) => <option key={k} value={k}>{v}</option>)}</select>}
          </Field>
          {form.provider === "twilio" && (
            <>
              {text("twilioAccountSid", "Account SID", "AC…")}
              {text("twilioAuthToken", "Jeton d'authentification", data.twilioAuthTokenSet ? "enregistré (laisser vide pour le garder)" : "obligatoire", "password")}
              {text("twilioCallerId", "Numéro appelant", "+33…")}
              <Field label="Mise en relation">
                {(id) => (
                  <select id={id} value={form.twilioAgentLeg} onChange={set("twilioAgentLeg")}>
                    <option value="softphone">Softphone dans le navigateur</option>
                    <option value="agent_phone">Téléphone de l'agent, puis le patient</option>
                  </select>
                )}
              </Field>
              {form.twilioAgentLeg === "softphone" && (
                <>
                  {text("twilioTwimlAppSid", "TwiML App SID", "AP…")}
                  {text("twilioApiKeySid", "Clé API (SID)", "SK…")}
                  {text("twilioApiKeySecret", "Clé API (secret)", data.twilioApiKeySecretSet ? "enregistré (laisser vide pour le garder)" : "obligatoire", "password")}
                </>
              )}
            </>
          )}
        </div>
        <button type="submit">Enregistrer la téléphonie</button>
      </form>
      <h3>Appel de test</h3>
      <div className="inline-form">
        <Field label="Numéro à appeler" hint="votre téléphone : il sonne et lit un court message">
          {(id, h) => <input id={id} type="tel" aria-describedby={h} value={testTo} onChange={(e) => setTestTo(e.target.value)} />}
        </Field>
        <button type="button" className="secondary" onClick={testCall} disabled={!testTo.trim()}>Lancer l'appel de test</button>
      </div>
    </section>
  );
}
