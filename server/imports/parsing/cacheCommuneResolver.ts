// A listing names the same few hundred places over and over: the commune resolver's answers
// (pure for a loaded commune index) are kept per import, up to a bound.
import type { CommuneQuery, CommuneResolution, CommuneResolver } from "./commune.ts";

export function cacheCommuneResolver<R extends CommuneResolution>(resolve: (query: CommuneQuery) => R, maxEntries = 20_000): CommuneResolver & ((query: CommuneQuery) => R) {
  const cache = new Map<string, R>();
  return (query) => {
    const key = `${query.inseeCode ?? "\u0000"}\u0001${query.postalCode ?? "\u0000"}\u0001${query.communeName ?? "\u0000"}`;
    let answer = cache.get(key);
    if (answer === undefined) {
      answer = resolve(query);
      if (cache.size >= maxEntries) cache.clear();
      cache.set(key, answer);
    }
    return answer;
  };
}
