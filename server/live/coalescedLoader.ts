// Loads shared by every caller of the same key: a supervision board is the same for every supervisor of an
// organisation, and on a national drive it reads hundreds of thousands of enrolments (0.2 s at 200,000), while each
// open board asks for it after every burst of events. At most one load runs per key; callers arriving meanwhile share
// the next one, which starts when it ends (so each caller gets data read after its request). A result that was
// expensive to make (≥ expensiveMs) is reused for twice the time it took: such a key keeps at most half of one
// database connection busy, whatever the number of boards open. Cheap results (a CPTS's board) are never reused.
export function coalescedLoader<T>(load: (key: string) => Promise<T>, expensiveMs = 200) {
  interface Entry { running?: Promise<T>; next?: Promise<T>; value?: T; doneAt: number; tookMs: number }
  const entries = new Map<string, Entry>();
  const start = (key: string, e: Entry) => {
    const t0 = performance.now();
    e.running = load(key)
      .then((value) => Object.assign(e, { value, tookMs: performance.now() - t0, doneAt: performance.now() }).value!)
      .finally(() => { e.running = undefined; });
    return e.running;
  };
  return (key: string): Promise<T> => {
    let e = entries.get(key);
    if (!e) entries.set(key, (e = { doneAt: -Infinity, tookMs: 0 }));
    if (e.value !== undefined && e.tookMs >= expensiveMs && performance.now() - e.doneAt < 2 * e.tookMs) return Promise.resolve(e.value);
    const { running } = e;
    if (!running) return start(key, e);
    const entry = e;
    entry.next ??= running.catch(() => undefined).then(() => {
      entry.next = undefined;
      return start(key, entry);
    });
    return entry.next;
  };
}
