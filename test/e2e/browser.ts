// Debian's Chromium driven by playwright-core (no browser download), plus helpers every journey uses.
import { createRequire } from "node:module";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";

const require = createRequire(import.meta.url);
export const SCREENSHOTS = path.resolve(import.meta.dirname, "screenshots");

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
      "--lang=fr-FR"],
    // The browser's own texts (a file input's button, validation bubbles) in French, as on users' machines: Debian's
    // chromium-l10n, chosen on Linux by LANGUAGE. Not LANG: a locale this machine lacks made Chromium drop the UTF-8
    // name of a download (« rapport-Démo….xlsx » came as « download »).
    env: { ...process.env, LANGUAGE: "fr" },
  });
}

export async function newPage(browser: Browser, baseURL: string): Promise<Page> {
  // bypassCSP only so axe-core can be injected; the app itself runs under its real CSP
  const context = await browser.newContext({ baseURL, viewport: { width: 1366, height: 768 }, locale: "fr-FR", bypassCSP: true });
  return context.newPage();
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** axe-core in the page: no serious or critical accessibility violation. */
export async function expectAccessible(page: Page) {
  await page.addScriptTag({ path: require.resolve("axe-core") });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; help: string; nodes: unknown[] }[] }> } }).axe.run();
    return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}): ${v.help} ×${v.nodes.length}`);
  });
  expect(violations).toEqual([]);
}

export async function login(page: Page, email: string, password: string) {
  await page.goto("/");
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
}

/** One journey file's server and browser: started before its tests, stopped after. */
export function useJourney(extraEnv: Record<string, string> = {}) {
  const journey = {} as { server: import("./startServer.ts").TestServer; browser: Browser };
  beforeAll(async () => {
    const { startTestServer } = await import("./startServer.ts");
    journey.server = await startTestServer(extraEnv);
    journey.browser = await launchBrowser();
  });
  afterAll(async () => {
    await journey.browser?.close();
    await journey.server?.stop();
  });
  return journey;
}
