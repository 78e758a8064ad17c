// Journey: the admin puts the organisation on Twilio's browser softphone; the agent's console loads
// the softphone (and only then the Twilio SDK) and, Twilio being unreachable here, says so in French.
import { describe, expect, it } from "vitest";
import { expectAccessible, login, newPage, screenshot, useJourney } from "./browser.ts";

const journey = useJourney();

describe("Twilio softphone", () => {
  it("the agent sees the softphone, and a clear French error when it cannot register", async () => {
    const agent = await newPage(journey.browser, journey.server.url);
    const sdkRequests: string[] = [];
    agent.on("request", (r) => /Softphone-.*\.js$/.test(r.url()) && sdkRequests.push(r.url()));
    await login(agent, journey.server.users.agent.email, journey.server.users.agent.password);
    await agent.waitForURL("**/agent");
    await expect.poll(() => agent.getByRole("heading", { name: /^Mon état/ }).count()).toBe(1);
    // simulator: no softphone, and its code is never downloaded
    expect(await agent.getByRole("heading", { name: "Softphone" }).count()).toBe(0);
    expect(sdkRequests).toEqual([]);
    await agent.context().close();

    const admin = await newPage(journey.browser, journey.server.url);
    await login(admin, journey.server.users.admin.email, journey.server.users.admin.password);
    await admin.waitForURL("**/admin");
    const saved = await admin.evaluate(async () => {
      const { csrfToken } = await (await fetch("/api/auth/session")).json();
      const res = await fetch("/api/organisation/telephony", {
        method: "PUT", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken },
        body: JSON.stringify({
          provider: "twilio", twilioAccountSid: `AC${"1".repeat(32)}`, twilioAuthToken: "auth-token-de-demonstration", twilioCallerId: "+33477000000",
          twilioTwimlAppSid: `AP${"2".repeat(32)}`, twilioApiKeySid: `SK${"3".repeat(32)}`, twilioApiKeySecret: "secret-de-cle-api-de-demo",
        }),
      });
      return res.status;
    });
    expect(saved).toBe(200);
    await admin.context().close();

    const page = await newPage(journey.browser, journey.server.url);
    const loaded: string[] = [];
    page.on("request", (r) => /Softphone-.*\.js$/.test(r.url()) && loaded.push(r.url()));
    await login(page, journey.server.users.agent.email, journey.server.users.agent.password);
    await page.waitForURL("**/agent");
    const softphone = page.locator("section.softphone");
    await expect.poll(() => softphone.getByRole("heading", { name: "Softphone" }).count()).toBe(1);
    expect(loaded).toHaveLength(1);
    await expect.poll(() => softphone.getByRole("alert").count(), { timeout: 30_000 }).toBe(1);
    expect(await softphone.getByRole("alert").innerText()).toMatch(/^Le softphone n'a pas pu (se connecter à Twilio|s'enregistrer auprès de Twilio).*vérifiez la connexion réseau de ce poste\. En attendant, composez depuis votre téléphone\.$/);
    expect(await softphone.getByRole("status").innerText()).toBe("Softphone indisponible");
    expect(await softphone.getByRole("button", { name: "Appeler" }).isDisabled()).toBe(true);
    expect(await softphone.getByRole("button", { name: "Muet" }).isDisabled()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, "agent-softphone-unreachable");
    // "Reconnecter" tries again with a new token, and fails the same clear way
    await softphone.getByRole("button", { name: "Reconnecter" }).click();
    await expect.poll(() => softphone.getByRole("alert").count(), { timeout: 30_000 }).toBe(1);
    expect(await softphone.getByRole("status").innerText()).toBe("Softphone indisponible");
    await page.context().close();
  });
});
