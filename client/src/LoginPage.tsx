import { useState, type FormEvent } from "react";
import { ApiError } from "./shared/api.ts";
import { Field } from "./shared/Field.tsx";
import { useSession } from "./shared/session.tsx";

export function LoginPage() {
  const { login, notice } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email, password);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Connexion impossible.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form onSubmit={submit} className="card" aria-labelledby="login-title">
        <p className="brand">Orientation MT — console de phoning</p>
        <h1 id="login-title">Connexion</h1>
        {notice && !error && <p role="status" className="notice">{notice}</p>}
        {error && <p role="alert" className="error">{error}</p>}
        <Field label="Adresse e-mail">
          {(id) => <input id={id} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label="Mot de passe">
          {(id) => <input id={id} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <button type="submit" disabled={busy}>
          {busy ? "Connexion…" : "Se connecter"}
        </button>
      </form>
    </main>
  );
}
