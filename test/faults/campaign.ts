// A campaign set up the way a coordinator does it, over the API: create, calling rules (every day,
// all day, so the suite runs at any hour), a generated CPAM listing uploaded and imported by the worker, start.
import { encodeCpam, generateListing } from "../factories/listings.ts";
import { Client, sleep } from "./agents.ts";
import type { Deployment } from "./processes.ts";

export const ALL_DAY = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [["00:00", "23:59"]]]));

export async function uploadListing(coordinator: Client, campaignId: string, rows: number, seed: number) {
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(encodeCpam(generateListing(rows, seed).text))]), `listing-${seed}.csv`);
  const res = await fetch(`${coordinator.base}/api/campaigns/${campaignId}/imports`, {
    method: "POST", headers: { cookie: coordinator.cookie, "x-csrf-token": coordinator.csrf }, body: form,
  });
  return { status: res.status, body: await res.json() };
}

export async function waitImport(coordinator: Client, importId: string, timeoutMs = 240_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const r = await coordinator.request("GET", `/imports/${importId}`);
    if (r.status === 200 && (r.body.status === "done" || r.body.status === "failed")) return r.body;
    if (Date.now() > end) throw new Error(`import ${importId} not finished: ${JSON.stringify(r.body)}`);
    await sleep(500);
  }
}

export async function makeCampaign(coordinator: Client, o: { name: string; patients: number; seed: number; dialMode: "preview" | "progressive" }) {
  const c = await coordinator.request("POST", "/campaigns", { name: o.name, type: "ald-sans-mt" });
  if (c.status !== 201) throw new Error(`campaign: ${c.status} ${JSON.stringify(c.body)}`);
  const id = c.body.id as string;
  const rules = await coordinator.request("PUT", `/campaigns/${id}/rules`, { dialMode: o.dialMode, callingWindows: ALL_DAY, skipPublicHolidays: false, maxAttempts: 20 });
  if (rules.status !== 200) throw new Error(`rules: ${rules.status} ${JSON.stringify(rules.body)}`);
  if (o.patients > 0) {
    const up = await uploadListing(coordinator, id, o.patients, o.seed);
    if (up.status !== 202) throw new Error(`upload: ${up.status} ${JSON.stringify(up.body)}`);
    const done = await waitImport(coordinator, up.body.id ?? up.body.importId);
    if (done.status !== "done") throw new Error(`import: ${JSON.stringify(done)}`);
  }
  const started = await coordinator.request("POST", `/campaigns/${id}/status`, { status: "running" });
  if (started.status !== 200) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`);
  return id;
}

/** The demo installation's campaigns are paused, so agents only work on the campaigns of the test. */
export async function pauseDemoCampaigns(coordinator: Client) {
  const list = await coordinator.request("GET", "/campaigns");
  for (const c of list.body as { id: string; status: string }[]) {
    if (c.status === "running") await coordinator.request("POST", `/campaigns/${c.id}/status`, { status: "paused" });
  }
}

/** The start of every drive: the admin logged in through the proxy, the coordinator on web B, the demo campaigns paused. */
export async function openDrive(dep: Deployment) {
  const admin = new Client(dep.publicUrl);
  await admin.login(dep.users.admin.email, dep.users.admin.password);
  const coordinator = new Client(dep.webs[1].url);
  await coordinator.login(dep.users.coordinator.email, dep.users.coordinator.password);
  await pauseDemoCampaigns(coordinator);
  return { admin, coordinator };
}
