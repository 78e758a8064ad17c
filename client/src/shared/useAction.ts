import { useState } from "react";
import { ApiError } from "./api.ts";

/** An action the user starts (save, run): the French message it ends with, or why it failed. */
export function useAction() {
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  /** `action` answers the message shown on success; `fallback` is shown when the server gave no reason. */
  async function run(action: () => Promise<string>, fallback: string) {
    setMessage(null);
    setFailure(null);
    try {
      setMessage(await action());
    } catch (err) {
      setFailure(err instanceof ApiError ? err.message : fallback);
    }
  }
  return { message, failure, run };
}
