// The campaign's call script and its consent questions. Saving makes a new version; consents
// recorded earlier keep citing the version that was read.
import { useEffect, useState, type FormEvent } from "react";
import { api, ApiError } from "../shared/api.ts";
import { Field } from "../shared/Field.tsx";
import { formatDateTime } from "../shared/labels.ts";
import { useApi } from "../shared/useApi.ts";

type Purpose = "contact" | "share_identity" | "mt_declaration";
interface ScriptData {
  current: { id: string; version: number; body: string; questions: Record<Purpose, string> };
  versions: { id: string; version: number; createdAt: string }[];
  purposes: Record<Purpose, string>;
}

export function ScriptEditor({ campaignId }: { campaignId: string }) {
  const { data, reload } = useApi<ScriptData>(`/campaigns/${campaignId}/script`);
  const [body, setBody] = useState("");
  const [questions, setQuestions] = useState<Record<Purpose, string>>({ contact: "", share_identity: "", mt_declaration: "" });
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!data) return;
    setBody(data.current.body);
    setQuestions(data.current.questions);
  }, [data]);

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNotice(null);
    try {
      const saved = await api<{ version: number }>("POST", `/campaigns/${campaignId}/script`, { body, questions });
      setNotice(`Version ${saved.version} du script enregistrée : elle s'affiche aux agents dès le prochain patient.`);
      reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Enregistrement impossible.");
    }
  }
  if (!data) return null;
  return (
    <section className="panel" aria-labelledby="script-editor-title">
      <h2 id="script-editor-title">Script d'appel — version {data.current.version}</h2>
      <p className="lead">Repères remplacés à l'écran de l'agent : {"{patient}"}, {"{agent}"}, {"{organisation}"}. Versions : {data.versions.map((v) => `v${v.version} (${formatDateTime(v.createdAt)})`).join(", ")}.</p>
      {error && <p role="alert" className="error">{error}</p>}
      {notice && <p role="status" className="notice">{notice}</p>}
      <form onSubmit={save}>
        <Field label="Texte lu au patient">{(id) => <textarea id={id} rows={7} value={body} onChange={(e) => setBody(e.target.value)} />}</Field>
        {(Object.keys(data.purposes) as Purpose[]).map((p) => (
          <Field key={p} label={`Question de consentement : ${data.purposes[p]}`}>
            {(id) => <textarea id={id} rows={2} value={questions[p]} onChange={(e) => setQuestions({ ...questions, [p]: e.target.value })} />}
          </Field>
        ))}
        <button type="submit">Enregistrer une nouvelle version</button>
      </form>
    </section>
  );
}
