// npm run bench -- console: how fast the console's first screens are interactive in Debian's Chromium,
// from the built bundle served by the product (login page, then each role's space after logging in),
// against a baseline measured in the same run: the same browser loading a bare page from a bare express route.
import express from "express";
import type { AddressInfo } from "node:net";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import path from "node:path";
import type { Locator, Page } from "playwright-core";
import type { Role } from "../shared-types/events.ts";
import { launchBrowser } from "../test/e2e/browser.ts";
import { startTestServer } from "../test/e2e/startServer.ts";

/** What shows that each space is ready: its first data from the API. */
const READY: Record<Role, (page: Page) => Locator> = {
  agent: (page) => page.getByRole("heading", { name: /^Mon état : (Prêt|En pause|Hors ligne|En appel|Après-appel)/ }),
  supervisor: (page) => page.getByRole("table", { name: "États des agents" }).getByRole("row").nth(1),
  coordinator: (page) => page.getByRole("table", { name: "Campagnes de l'organisation" }).getByRole("row").nth(1),
  admin: (page) => page.getByRole("cell", { name: "admin@demo.cpts.fr", exact: true }),
};

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const ms = (x: number) => `${x.toFixed(0)} ms`;

export async function consoleSection(args: string[]): Promise<string> {
  const runs = Number(args.find((a) => a.startsWith("--runs="))?.split("=")[1] ?? 10);
  const server = await startTestServer({ LOG_LEVEL: "warn" });
  const bare = express();
  bare.get("/", (_req, res) => res.type("html").send("<!doctype html><title>x</title><button>ok</button>"));
  const bareServer = bare.listen(0, "127.0.0.1");
  await new Promise((r) => bareServer.once("listening", r));
  const bareUrl = `http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/`;
  const browser = await launchBrowser();
  try {
    const baseline: number[] = [];
    const loginPage: number[] = [];
    const spaces: Record<Role, number[]> = { agent: [], supervisor: [], coordinator: [], admin: [] };
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      let t = Date.now();
      await page.goto(bareUrl);
      await page.getByRole("button", { name: "ok" }).waitFor();
      baseline.push(Date.now() - t);
      for (const role of Object.keys(READY) as Role[]) {
        await context.clearCookies();
        t = Date.now();
        await page.goto(`${server.url}/connexion`);
        await page.getByRole("button", { name: "Se connecter" }).waitFor();
        loginPage.push(Date.now() - t);
        await page.getByLabel("Adresse e-mail").fill(server.users[role].email);
        await page.getByLabel("Mot de passe").fill(server.users[role].password);
        t = Date.now();
        await page.getByRole("button", { name: "Se connecter" }).click();
        await READY[role](page).waitFor();
        spaces[role].push(Date.now() - t);
      }
      await context.close();
    }
    const dist = path.join(import.meta.dirname, "../client/dist/assets");
    const chunks = readdirSync(dist).filter((f) => f.endsWith(".js") && !f.endsWith(".map"));
    const size = (prefix: string) => {
      const f = chunks.find((c) => c.startsWith(prefix));
      return f ? `${(gzipSync(readFileSync(path.join(dist, f))).length / 1024).toFixed(1)} KiB` : "—";
    };
    const total = chunks.reduce((s, f) => s + statSync(path.join(dist, f)).size, 0);
    const rows = (Object.keys(READY) as Role[]).map((r) => `| ${r}: login → space ready (first data shown) | ${ms(pct(spaces[r], 50))} / ${ms(pct(spaces[r], 95))} | ${size({ agent: "AgentSpace", supervisor: "SupervisorSpace", coordinator: "CoordinatorSpace", admin: "AdminSpace" }[r])} |`);
    return `## Console (\`npm run bench -- console\`)

Debian's Chromium (headless, 1366×768, new context each run, cold HTTP cache) against the product serving its built bundle
(\`npm start\` path, demo data), ${runs} runs per screen. Baseline: the same browser loading a bare page from a bare express route.
Target of the console issue: first screen interactive in under 2 s.

| measure | p50 / p95 | role bundle (gzip) |
|---|---|---|
| baseline: bare express page, button visible | ${ms(pct(baseline, 50))} / ${ms(pct(baseline, 95))} | — |
| login page interactive (button visible) | ${ms(pct(loginPage, 50))} / ${ms(pct(loginPage, 95))} | ${size("index")} (shared entry) |
${rows.join("\n")}

All chunks: ${(total / 1024).toFixed(0)} KiB before gzip; the Twilio softphone (${size("Softphone")}) loads only for organisations that use it.`;
  } finally {
    await browser.close();
    bareServer.close();
    await server.stop();
  }
}
