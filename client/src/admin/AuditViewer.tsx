import { useEffect, useState, type FormEvent } from "react";
import { api, ApiError } from "../shared/api.ts";
import { Field } from "../shared/Field.tsx";
import { auditActionLabel, auditDetailsText, auditTargetLabel } from "../../../shared-types/auditLabels.ts";
import { formatDateTime, ROLE_LABELS } from "../shared/labels.ts";
import { useApi } from "../shared/useApi.ts";
import type { Role } from "../../../shared-types/events.ts";

interface Entry { id: string; at: string; action: string; actor: string | null; actorRole: Role | null; targetType: string | null; targetId: string | null; ip: string | null; details: Record<string, unknown> }
interface Page { items: Entry[]; nextBefore: string | null; actions: string[] }
interface User { id: string; name: string; email: string }

const EMPTY = { actorUserId: "", patientId: "", action: "", from: "", to: "" };

export function AuditViewer() {
  const users = useApi<User[]>("/users");
  const [form, setForm] = useState(EMPTY);
  const [filters, setFilters] = useState(EMPTY);
  const [page, setPage] = useState<Page | null>(null);
  const [more, setMore] = useState<Entry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v)).toString();

  useEffect(() => {
    let live = true;
    setMore([]);
    api<Page>("GET", `/privacy/audit?${query}&limit=50`).then((p) => live && (setPage(p), setError(null))).catch((e: ApiError) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [query]);

  async function loadMore() {
    const before = more.length ? more[more.length - 1].id : page?.nextBefore;
    if (!before) return;
    const next = await api<Page>("GET", `/privacy/audit?${query}&limit=50&before=${before}`);
    setMore((m) => [...m, ...next.items]);
    setPage((p) => (p ? { ...p, nextBefore: next.nextBefore } : p));
  }
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters(form);
  };
  const entries = [...(page?.items ?? []), ...more];
  return (
    <section className="panel" aria-labelledby="audit-title">
      <h2 id="audit-title">Journal d'audit</h2>
      <p className="lead">Qui a vu quel patient, quand et d'où ; chaque export d'identités, chaque effacement. Le journal ne peut être ni modifié ni effacé.</p>
      <form className="inline-form" onSubmit={apply} aria-label="Filtres du journal">
        <Field label="Qui">
          {(id) => (
            <select id={id} value={form.actorUserId} onChange={(e) => setForm({ ...form, actorUserId: e.target.value })}>
              <option value="">Tout le monde</option>
              {users.data?.map((u) => <option key={u.id} value={u.id}>{u.name} ({u.email})</option>)}
            </select>
          )}
        </Field>
        <Field label="Patient (identifiant)">{(id) => <input id={id} value={form.patientId} pattern="[0-9a-fA-F-]{36}" onChange={(e) => setForm({ ...form, patientId: e.target.value.trim() })} />}</Field>
        <Field label="Action">
          {(id) => (
            <select id={id} value={form.action} onChange={(e) => setForm({ ...form, action: e.target.value })}>
              <option value="">Toutes</option>
              <option value="patient.">Toutes les actions sur des patients</option>
              {page?.actions.map((a) => <option key={a} value={a}>{auditActionLabel(a)}</option>)}
            </select>
          )}
        </Field>
        <Field label="Du">{(id) => <input id={id} type="date" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />}</Field>
        <Field label="Au">{(id) => <input id={id} type="date" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />}</Field>
        <button type="submit">Filtrer</button>
        <a className="button secondary-link" href={`/api/privacy/audit/export?${query}${query ? "&" : ""}format=csv`} download>Exporter (CSV)</a>
        <a className="button secondary-link" href={`/api/privacy/audit/export?${query}${query ? "&" : ""}format=xlsx`} download>Exporter (XLSX)</a>
      </form>
      {error && <p role="alert" className="error">{error}</p>}
      {page && (entries.length ? (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Tableau (faire défiler)">
          <table>
            <caption className="sr-only">Entrées du journal</caption>
            <thead><tr><th scope="col">Date</th><th scope="col">Action</th><th scope="col">Qui</th><th scope="col">Cible</th><th scope="col">Adresse IP</th><th scope="col">Détails</th></tr></thead>
            <tbody>{entries.map((e) => (
              <tr key={e.id}>
                <td>{formatDateTime(e.at)}</td>
                <td>{auditActionLabel(e.action)}</td>
                <td>{e.actor ?? "système"}{e.actorRole && <small> — {ROLE_LABELS[e.actorRole]} (rôle actuel)</small>}</td>
                <td>{e.targetType === "patient" && e.targetId
                  ? <button type="button" className="linklike" onClick={() => { const f = { ...EMPTY, patientId: e.targetId! }; setForm(f); setFilters(f); }}>patient {e.targetId.slice(0, 8)}…</button>
                  : e.targetType ? `${auditTargetLabel(e.targetType)} ${e.targetId?.slice(0, 8) ?? ""}` : "—"}</td>
                <td>{e.ip ?? "—"}</td>
                <td className="details">{auditDetailsText(e.details, formatDateTime)}</td>
              </tr>
            ))}</tbody>
          </table>
        </div>
      ) : <p>Aucune entrée ne correspond aux filtres.</p>)}
      {page?.nextBefore && <button type="button" className="secondary" onClick={loadMore}>Entrées plus anciennes</button>}
    </section>
  );
}
