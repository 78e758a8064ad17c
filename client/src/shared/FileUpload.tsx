// One file field and its button: posts the file as multipart "file" and hands the JSON answer back.
import { useState, type FormEvent } from "react";
import { api, ApiError } from "./api.ts";
import { Field } from "./Field.tsx";

export function FileUpload<T>({ path, label, hint, button, onDone }: { path: string; label: string; hint?: string; button: string; onDone: (result: T) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    if (!(form.get("file") instanceof File) || !(form.get("file") as File).size) {
      setError("Choisissez un fichier.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onDone(await api<T>("POST", path, form));
      e.currentTarget?.reset();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Envoi impossible.");
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="inline-form" onSubmit={submit}>
      <Field label={label} hint={hint}>{(id, hintId) => <input id={id} name="file" type="file" accept=".csv,.txt,.tsv,.xlsx" aria-describedby={hintId} />}</Field>
      <button type="submit" disabled={busy}>{busy ? "Envoi…" : button}</button>
      {error && <p role="alert" className="error">{error}</p>}
    </form>
  );
}

/** What of an uploaded file was not read (a « sep=; » line, a title above the header, other sheets), as the server says it. */
export function FileNotes({ notes }: { notes: readonly string[] | undefined }) {
  return notes?.length ? <ul className="detection-notes">{notes.map((n) => <li key={n}>{n}</li>)}</ul> : null;
}
