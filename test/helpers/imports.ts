// A listing sent through the API as the console sends it, and its report once the import has settled.
import type { LoggedIn } from "./api.ts";

/** POST of a file (its path, or its bytes with a name) into a campaign; the caller checks the status. */
export function uploadListing(me: LoggedIn, campaignId: string, file: string | Buffer, fileName?: string) {
  return me.agent.post(`/api/campaigns/${campaignId}/imports`).set("X-CSRF-Token", me.csrf).attach("file", file, fileName);
}

/** The import's report once it no longer runs: done, failed, or waiting for its column mapping. */
export async function importSettled(me: LoggedIn, importId: string) {
  for (;;) {
    const res = await me.agent.get(`/api/imports/${importId}`).expect(200);
    if (["done", "failed", "uploaded"].includes(res.body.status)) return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
}
