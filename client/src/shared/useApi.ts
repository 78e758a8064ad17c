import { useCallback, useEffect, useState } from "react";
import { api, ApiError } from "./api.ts";

/** GET a resource; `reload` fetches it again. */
export function useApi<T>(path: string | null) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!path) return;
    let live = true;
    api<T>("GET", path)
      .then((d) => live && (setData(d), setError(null)))
      .catch((e: ApiError) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, reload };
}
