import { useState, type FormEvent } from "react";
import type { Role } from "../../../shared-types/events.ts";
import { api, ApiError } from "../shared/api.ts";
import { Field } from "../shared/Field.tsx";
import { formatPhone } from "../../../shared-types/phoneTypes.ts";
import { formatDateTime, ORG_KIND_LABELS, ROLE_LABELS } from "../shared/labels.ts";
import { Layout } from "../shared/Layout.tsx";
import { useSession } from "../shared/session.tsx";
import { useApi } from "../shared/useApi.ts";
import { AuditViewer } from "./AuditViewer.tsx";
import { RetentionSettings } from "./RetentionSettings.tsx";
import { TelephonySettings } from "./TelephonySettings.tsx";
import { TimeZoneOptions, timeZoneLabel, TimeZoneSettings } from "./TimeZoneSettings.tsx";
import "./admin.css";

interface User { id: string; email: string; name: string; role: Role; active: boolean; phone: string | null; team: string | null; createdAt: string }
interface Organisation { id: string; kind: "CPAM" | "MSA" | "CPTS"; name: string; territory: string[]; timeZone: string; users: number; createdAt: string }
const ROLES: Role[] = ["admin", "coordinator", "supervisor", "agent"];

export default function AdminSpace() {
  return (
    <Layout title="Administration">
      <Users />
      <Organisations />
      <TimeZoneSettings />
      <TelephonySettings />
      <RetentionSettings />
      <AuditViewer />
    </Layout>
  );
}

function Users() {
  const { user: me } = useSession();
  const { data, error, reload } = useApi<User[]>("/users");
  const [actionError, setActionError] = useState<string | null>(null);
  const [editing, setEditing] = useState<User | null>(null);
  async function setActive(u: User, active: boolean) {
    setActionError(null);
    try {
      await api("PATCH", `/users/${u.id}`, { active });
      reload();
    } catch (err) {
      setActionError(err instanceof ApiError ? err.message : "Modification impossible.");
    }
  }
  return (
    <section className="panel" aria-labelledby="users-title">
      <h2 id="users-title">Utilisateurs de l'organisation</h2>
      {(error || actionError) && <p role="alert" className="error">{error ?? actionError}</p>}
      {data && (
        <div className="table-scroll" tabIndex={0}>
          <table>
            <caption className="sr-only">Utilisateurs</caption>
            <thead>
              <tr><th scope="col">Nom</th><th scope="col">E-mail</th><th scope="col">Rôle</th><th scope="col">Équipe</th><th scope="col">Téléphone</th><th scope="col">État</th><th scope="col">Actions</th></tr>
            </thead>
            <tbody>
              {data.map((u) => (
                <tr key={u.id}>
                  <td>{u.name}</td>
                  <td>{u.email}</td>
                  <td>{ROLE_LABELS[u.role]}</td>
                  <td>{u.team ?? "—"}</td>
                  <td>{u.phone ? formatPhone(u.phone) : "—"}</td>
                  <td>{u.active ? "Actif" : "Désactivé"}</td>
                  <td>
                    <button type="button" className="secondary" onClick={() => setEditing(u)}>
                      Modifier<span className="sr-only"> {u.name}</span>
                    </button>{" "}
                    {u.id !== me?.id && (
                      <button type="button" className="secondary" onClick={() => setActive(u, !u.active)}>
                        {u.active ? "Désactiver" : "Réactiver"}<span className="sr-only"> {u.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <datalist id="known-teams">{[...new Set((data ?? []).flatMap((u) => (u.team ? [u.team] : [])))].sort().map((t) => <option key={t} value={t} />)}</datalist>
      {editing && <EditUserForm key={editing.id} user={editing} self={editing.id === me?.id} onDone={() => { setEditing(null); reload(); }} onCancel={() => setEditing(null)} />}
      <CreateUserForm onCreated={reload} />
    </section>
  );
}

/** The agent's team or site: campaigns can be given to whole teams (the known teams are offered as the user types). */
function TeamField({ value, onChange }: { value: string; onChange: (team: string) => void }) {
  return (
    <Field label="Équipe" hint="équipe ou site de l'agent, par exemple « Plateau de Lyon » ; une campagne peut être confiée à des équipes entières">
      {(id, hint) => <input id={id} list="known-teams" maxLength={100} aria-describedby={hint} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

/** Name, role, team, the agent's own phone (called first when the organisation bridges Twilio calls to it), a new password. */
function EditUserForm({ user, self, onDone, onCancel }: { user: User; self: boolean; onDone: () => void; onCancel: () => void }) {
  const [form, setForm] = useState({ name: user.name, role: user.role, team: user.team ?? "", phone: user.phone ? formatPhone(user.phone) : "", password: "" });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const closesSessions = form.role !== user.role || form.password !== "";
  async function submit(e: FormEvent) {
    e.preventDefault();
    const change: Record<string, unknown> = {};
    if (form.name.trim() !== user.name) change.name = form.name;
    if (form.role !== user.role) change.role = form.role;
    if (form.team.trim() !== (user.team ?? "")) change.team = form.team.trim() || null;
    if (form.phone.trim() !== (user.phone ? formatPhone(user.phone) : "")) change.phone = form.phone.trim() ? form.phone : null;
    if (form.password) change.password = form.password;
    if (!Object.keys(change).length) return onCancel();
    setError(null);
    setBusy(true);
    try {
      await api("PATCH", `/users/${user.id}`, change);
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Modification impossible.");
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} className="inline-form" aria-labelledby="edit-user">
      <h3 id="edit-user">Modifier {user.name} ({user.email})</h3>
      {error && <p role="alert" className="error">{error}</p>}
      <Field label="Nom">{(id) => <input id={id} required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}</Field>
      <Field label="Rôle">
        {(id) => (
          <select id={id} value={form.role} disabled={self} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
          </select>
        )}
      </Field>
      <TeamField value={form.team} onChange={(team) => setForm({ ...form, team })} />
      <Field label="Téléphone de l'agent" hint="appelé d'abord quand l'organisation relie les appels Twilio au téléphone de l'agent">
        {(id, hint) => <input id={id} type="tel" aria-describedby={hint} value={form.phone} onChange={(e) => setForm({ ...form, phone: e.target.value })} />}
      </Field>
      <Field label="Nouveau mot de passe" hint="laisser vide pour le garder ; 12 caractères au moins">
        {(id, hint) => <input id={id} type="password" autoComplete="new-password" minLength={12} aria-describedby={hint} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />}
      </Field>
      {closesSessions && <p className="notice">Un nouveau rôle ou un nouveau mot de passe ferme les sessions ouvertes de {user.name} : {self ? "vous devrez" : "il ou elle devra"} se reconnecter.</p>}
      <button type="submit" disabled={busy}>Enregistrer</button>{" "}
      <button type="button" className="secondary" onClick={onCancel}>Annuler</button>
    </form>
  );
}

function CreateUserForm({ onCreated }: { onCreated: () => void }) {
  const [form, setForm] = useState({ name: "", email: "", role: "agent" as Role, team: "", password: "" });
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone(null);
    setBusy(true);
    try {
      await api("POST", "/users", { ...form, team: form.team.trim() || undefined });
      setDone(`Utilisateur ${form.email} créé.`);
      setForm({ name: "", email: "", role: "agent", team: "", password: "" });
      onCreated();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Création impossible.");
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} className="inline-form" aria-labelledby="new-user">
      <h3 id="new-user">Nouvel utilisateur</h3>
      {error && <p role="alert" className="error">{error}</p>}
      {done && <p role="status" className="notice">{done}</p>}
      <Field label="Nom">{(id) => <input id={id} required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}</Field>
      <Field label="Adresse e-mail">{(id) => <input id={id} type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} />}</Field>
      <Field label="Rôle">
        {(id) => (
          <select id={id} value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
            {ROLES.map((r) => <option key={r} value={r}>{ROLE_LABELS[r]}</option>)}
          </select>
        )}
      </Field>
      {form.role === "agent" && <TeamField value={form.team} onChange={(team) => setForm({ ...form, team })} />}
      <Field label="Mot de passe" hint="12 caractères au moins">
        {(id, hint) => <input id={id} type="password" autoComplete="new-password" minLength={12} required aria-describedby={hint} value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} />}
      </Field>
      <button type="submit" disabled={busy}>Créer l'utilisateur</button>
    </form>
  );
}

function Organisations() {
  const { data, error, reload } = useApi<Organisation[]>("/organisations");
  const [form, setForm] = useState({ kind: "CPTS", name: "", territory: "", timeZone: "", adminName: "", adminEmail: "", adminPassword: "" });
  const [formError, setFormError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setFormError(null);
    try {
      await api("POST", "/organisations", {
        kind: form.kind, name: form.name, territory: form.territory.split(/[\s,;]+/).filter(Boolean), timeZone: form.timeZone || undefined,
        admin: { name: form.adminName, email: form.adminEmail, password: form.adminPassword },
      });
      setForm({ kind: "CPTS", name: "", territory: "", timeZone: "", adminName: "", adminEmail: "", adminPassword: "" });
      reload();
    } catch (err) {
      setFormError(err instanceof ApiError ? err.message : "Création impossible.");
    }
  }
  return (
    <section className="panel" aria-labelledby="orgs-title">
      <h2 id="orgs-title">Organisations</h2>
      {error && <p role="alert" className="error">{error}</p>}
      {data && (
        <table>
          <caption className="sr-only">Organisations</caption>
          <thead><tr><th scope="col">Nom</th><th scope="col">Type</th><th scope="col">Communes</th><th scope="col">Fuseau horaire</th><th scope="col">Utilisateurs</th><th scope="col">Créée le</th></tr></thead>
          <tbody>
            {data.map((o) => (
              <tr key={o.id}><td>{o.name}</td><td>{ORG_KIND_LABELS[o.kind]}</td><td>{o.territory.length}</td><td>{timeZoneLabel(o.timeZone)}</td><td>{o.users}</td><td>{formatDateTime(o.createdAt)}</td></tr>
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={submit} className="inline-form" aria-labelledby="new-org">
        <h3 id="new-org">Nouvelle organisation</h3>
        {formError && <p role="alert" className="error">{formError}</p>}
        <Field label="Type">
          {(id) => (
            <select id={id} value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value })}>
              <option value="CPTS">CPTS</option><option value="CPAM">CPAM</option><option value="MSA">MSA</option>
            </select>
          )}
        </Field>
        <Field label="Nom">{(id) => <input id={id} required value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}</Field>
        <Field label="Territoire (codes INSEE)" hint="séparés par des virgules ou des espaces">
          {(id, hint) => <input id={id} aria-describedby={hint} value={form.territory} onChange={(e) => setForm({ ...form, territory: e.target.value })} />}
        </Field>
        <Field label="Fuseau horaire" hint="par défaut, celui des communes du territoire quand elles en ont un seul, sinon Paris">
          {(id, hint) => (
            <select id={id} aria-describedby={hint} value={form.timeZone} onChange={(e) => setForm({ ...form, timeZone: e.target.value })}>
              <option value="">D'après le territoire</option>
              <TimeZoneOptions />
            </select>
          )}
        </Field>
        <Field label="Nom du premier administrateur">{(id) => <input id={id} required value={form.adminName} onChange={(e) => setForm({ ...form, adminName: e.target.value })} />}</Field>
        <Field label="E-mail du premier administrateur">{(id) => <input id={id} type="email" required value={form.adminEmail} onChange={(e) => setForm({ ...form, adminEmail: e.target.value })} />}</Field>
        <Field label="Mot de passe du premier administrateur" hint="12 caractères au moins">
          {(id, hint) => <input id={id} type="password" autoComplete="new-password" minLength={12} required aria-describedby={hint} value={form.adminPassword} onChange={(e) => setForm({ ...form, adminPassword: e.target.value })} />}
        </Field>
        <button type="submit">Créer l'organisation</button>
      </form>
    </section>
  );
}
