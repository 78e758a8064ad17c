// Journeys: an agent goes ready, gets a patient, calls through the simulator and records the
// outcome with the keyboard; the connection drops while typing a callback and nothing is lost (the outcome goes by
// itself when it is back, and once only when its answer was lost); a patient in La Réunion:
// their clock on the card, their callback typed on it; a pause after the outcome, and the buttons follow; « Prêt » with
// nobody to call says why, and the next patient still comes by itself.
import type { Page } from "playwright-core";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { expectAccessible, login, newPage, screenshot, useJourney } from "./browser.ts";


// The simulated telephony runs fast, and a person always answers.
const journey = useJourney({ SIMULATOR_SPEED: "0.05", SIMULATOR_RATES: "1,0,0" });

async function agentWithPatient(): Promise<Page> {
  const page = await newPage(journey.browser, journey.server.url);
  await login(page, journey.server.users.agent.email, journey.server.users.agent.password);
  await page.waitForURL("**/agent");
  await page.getByRole("button", { name: /^(Prêt|Patient suivant|Reprendre)$/ }).click();
  await expect.poll(() => page.getByText("Pourquoi ce patient :").count()).toBe(1);
  return page;
}

const withDb = async <T>(fn: (db: pg.Client) => Promise<T>) => {
  const db = new pg.Client({ connectionString: journey.server.databaseUrl });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
};

describe("agent call", () => {
  it("ready → patient card → call (simulator) → outcome by keyboard", async () => {
    const page = await agentWithPatient();
    await expect.poll(() => page.getByRole("heading", { name: /^Mon état : Avec un patient/ }).count()).toBe(1);
    await expect.poll(() => page.getByText(/numéro à appeler/).count()).toBe(1);
    await page.getByRole("button", { name: /^Appeler/ }).click();
    await expect.poll(() => page.locator(".call-state").innerText(), { timeout: 20_000 }).toMatch(/Décroché — une personne a répondu/);
    // no pause nor going offline in the middle of a call
    expect(await page.getByRole("button", { name: "Pause" }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Hors ligne" }).isDisabled()).toBe(true);
    // leaving in the middle of a call asks first, saying what becomes of the patient and the call
    await page.getByRole("button", { name: "Se déconnecter" }).click();
    const leave = page.getByRole("alertdialog", { name: "Se déconnecter maintenant ?" });
    await expect.poll(() => leave.innerText()).toMatch(/Un appel est en cours et son résultat n'est pas noté/);
    await leave.getByRole("button", { name: "Annuler" }).click();
    expect(await leave.count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, "agent-call-answered");
    // An outcome that ends the patient's calls is asked once more: « D » pressed by mistake, then Échap, records nothing.
    await page.locator("body").press("d");
    const confirm = page.getByRole("alertdialog", { name: "Confirmer « Décédé » ?" });
    await expect.poll(() => confirm.count()).toBe(1);
    // where the agent sees it, its « Confirmer » focused; the same key pressed again records nothing
    await expect.poll(() => confirm.getByRole("button", { name: "Confirmer (Entrée)" }).evaluate((b) => b === document.activeElement)).toBe(true);
    const box = (await confirm.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(page.viewportSize()!.height);
    await screenshot(page, "agent-confirm-final-outcome");
    await page.keyboard.press("d");
    await page.waitForTimeout(300);
    expect(await confirm.count()).toBe(1);
    expect(await page.getByText("Résultat enregistré.").count()).toBe(0);
    await page.locator("body").press("Escape");
    await expect.poll(() => page.getByRole("alertdialog").count()).toBe(0);
    expect(await page.getByText("Résultat enregistré.").count()).toBe(0);
    // keyboard only: "1" = Joint (reached), as shown on the button
    await expect.poll(() => page.getByRole("button", { name: "1 Joint" }).count()).toBe(1);
    await page.locator("body").press("1");
    await expect.poll(() => page.getByText("Résultat enregistré.").count()).toBe(1);
    await expect.poll(() => page.getByRole("heading", { name: /^Mon état : Après-appel/ }).count()).toBe(1);
    await expect.poll(() => page.getByRole("timer").count()).toBe(1);
    await screenshot(page, "agent-after-call");
    // The card was shown once (« Prêt »), the call placed on it: the patient's identity read, and audited, once.
    const reads = await withDb(async (db) => (await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "AuditLog" l JOIN "User" u ON u."id" = l."actorUserId"
       WHERE u."email" = $1 AND l."action" = 'patient.identity.read' AND l."targetId" = (
         SELECT e."patientId"::text FROM "CallAttempt" a JOIN "Enrolment" e ON e."id" = a."enrolmentId" WHERE a."agentId" = u."id" ORDER BY a."createdAt" DESC LIMIT 1)`,
      [journey.server.users.agent.email])).rows[0].n);
    expect(reads).toBe(1);
    await page.context().close();
  });

  it("a second tab of the same agent drops the patient's identity as soon as the first records the outcome", async () => {
    const page = await agentWithPatient();
    const other = await page.context().newPage(); // the same session, another tab
    await other.goto("/agent");
    await expect.poll(() => other.getByText("Pourquoi ce patient :").count()).toBe(1);
    await page.getByRole("button", { name: /^Appeler/ }).click();
    await expect.poll(() => page.locator(".call-state").innerText(), { timeout: 20_000 }).toMatch(/Décroché/);
    await page.locator("body").press("3"); // Occupé
    await expect.poll(() => page.getByText("Résultat enregistré.").count()).toBe(1);
    await expect.poll(() => other.getByText("Pourquoi ce patient :").count(), { timeout: 5_000 }).toBe(0);
    expect(await other.getByText(/numéro à appeler/).count()).toBe(0);
    await page.context().close();
  });

  it("the supervisor's board follows the agent live, without reload", async () => {
    const supervisor = await newPage(journey.browser, journey.server.url);
    await login(supervisor, journey.server.users.supervisor.email, journey.server.users.supervisor.password);
    await supervisor.waitForURL("**/supervision");
    const row = supervisor.locator("tr", { hasText: "Anaïs Agente" });
    await expect.poll(() => row.count()).toBe(1);
    const page = await agentWithPatient();
    await expect.poll(() => row.innerText()).toMatch(/Avec un patient/);
    await page.getByRole("button", { name: /^Appeler/ }).click();
    await expect.poll(() => row.innerText(), { timeout: 20_000 }).toMatch(/Décroché/);
    await page.locator("body").press("1");
    await expect.poll(() => supervisor.getByText(/— Joint$/).count()).toBeGreaterThan(0);
    await expect.poll(() => row.innerText()).toMatch(/Après-appel/);
    await expectAccessible(supervisor);
    await screenshot(supervisor, "supervisor-live-board");
    await page.context().close();
    await supervisor.context().close();
  });

  it("the connection drops while a callback is typed: shown at once, nothing lost, sent when it is back", async () => {
    const page = await agentWithPatient();
    await page.getByRole("button", { name: /^Appeler/ }).click();
    await expect.poll(() => page.locator(".call-state").innerText(), { timeout: 20_000 }).toMatch(/Décroché/);
    await page.locator("body").press("5"); // Rappel demandé
    // the date is asked where the agent sees it, focused: what is typed next goes there, not to the outcome shortcuts
    await expect.poll(() => page.getByLabel("Date et heure du rappel").evaluate((i) => i === document.activeElement)).toBe(true);
    const when = new Date(Date.now() + 2 * 86_400_000);
    const local = `${when.getFullYear()}-${String(when.getMonth() + 1).padStart(2, "0")}-${String(when.getDate()).padStart(2, "0")}T10:30`;
    await page.getByLabel("Date et heure du rappel").fill(local);
    await page.getByLabel("Commentaire").fill("Rappeler après 10 h, demander Mme");
    await page.context().setOffline(true);
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Connexion perdue" }).count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole("button", { name: "Enregistrer le résultat" }).click();
    await expect.poll(() => page.getByRole("alert").innerText()).toMatch(/Serveur injoignable : le résultat « Rappel demandé » est conservé et sera envoyé automatiquement/);
    await screenshot(page, "agent-connection-lost");
    expect(await page.getByLabel("Commentaire").inputValue()).toBe("Rappeler après 10 h, demander Mme");
    expect(await page.getByRole("button", { name: "Enregistrer le résultat" }).isDisabled()).toBe(true); // on its way: not sent twice
    await page.context().setOffline(false);
    // back online: sent by itself, nobody clicks again
    await expect.poll(() => page.getByText("Résultat enregistré.").count(), { timeout: 30_000 }).toBe(1);
    await page.context().close();
  });

  it("an outcome stored but whose answer is lost with the connection is sent again by itself and answered as stored, once", async () => {
    const page = await agentWithPatient();
    await page.getByRole("button", { name: /^Appeler/ }).click();
    await expect.poll(() => page.locator(".call-state").innerText(), { timeout: 20_000 }).toMatch(/Décroché/);
    const attemptId = await page.evaluate(() => Object.keys(sessionStorage).find((k) => k.startsWith("omt:outcome:"))!.slice("omt:outcome:".length));
    let posts = 0;
    // the first POST reaches the server (stored), then its answer never comes back to the browser
    await page.route("**/api/attempts/*/outcome", async (route) => {
      posts++;
      if (posts === 1) {
        await route.fetch();
        await route.abort("connectionreset");
      } else await route.continue();
    });
    await page.locator("body").press("3"); // Occupé
    await expect.poll(() => page.getByText("Résultat enregistré.").count(), { timeout: 30_000 }).toBe(1);
    expect(posts).toBe(2);
    expect(await withDb(async (db) => (await db.query(`SELECT "outcome" FROM "CallAttempt" WHERE "id" = $1`, [attemptId])).rows)).toEqual([{ outcome: "busy" }]);
    await page.context().close();
  });

  it("an outage longer than the hold: back online, the agent is told the patient went back and the outcome chosen was not stored", async () => {
    const page = await agentWithPatient();
    await page.getByRole("button", { name: /^Appeler/ }).click();
    await expect.poll(() => page.locator(".call-state").innerText(), { timeout: 20_000 }).toMatch(/Décroché/);
    const attemptId = await page.evaluate(() => Object.keys(sessionStorage).find((k) => k.startsWith("omt:outcome:"))!.slice("omt:outcome:".length));
    await page.context().setOffline(true);
    await page.locator("body").press("3"); // Occupé: the server cannot be reached
    await expect.poll(() => page.getByRole("alert").innerText()).toMatch(/^Serveur injoignable : le résultat « Occupé » est conservé/);
    // no sign of life from the console: its hold lapses, and the worker's sweep (every 10 s) interrupts the call
    // (as 90 s without a heartbeat leave them: the hold lapsed, the agent last seen over a minute ago)
    await withDb(async (db) => {
      await db.query(`UPDATE "Enrolment" SET "heldUntil" = now() - interval '1 second' WHERE "id" = (SELECT "enrolmentId" FROM "CallAttempt" WHERE "id" = $1)`, [attemptId]);
      await db.query(`UPDATE "AgentState" SET "lastSeenAt" = now() - interval '2 minutes' WHERE "userId" = (SELECT "agentId" FROM "CallAttempt" WHERE "id" = $1)`, [attemptId]);
    });
    await expect.poll(() => withDb(async (db) => (await db.query(`SELECT "outcome" FROM "CallAttempt" WHERE "id" = $1`, [attemptId])).rows[0].outcome), { timeout: 30_000 }).toBe("interrupted");
    await page.context().setOffline(false);
    await expect.poll(() => page.getByText(/^Connexion rétablie : pendant la coupure, .+ ne vous a plus été attribué\(e\) ; son appel est noté « Interrompu » ; le résultat « Occupé » que vous aviez choisi n'a pas été enregistré\.$/).count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByRole("heading", { name: "Résultat de l'appel" }).count()).toBe(0);
    await screenshot(page, "agent-back-after-outage");
    expect(await page.evaluate((id) => sessionStorage.getItem(`omt:outcome:${id}`), attemptId)).toBeNull();
    await page.context().close();
  });

  it("a patient in La Réunion: the card shows their local time, and the callback they ask for is typed on their clock", async () => {
    const db = new pg.Client({ connectionString: journey.server.databaseUrl });
    await db.connect();
    try {
      await db.query(`UPDATE "Patient" SET "inseeCode" = '97411', "postalCode" = '97400' WHERE "organisationId" = (SELECT "organisationId" FROM "User" WHERE "email" = $1)`, [journey.server.users.agent.email]);
      const page = await agentWithPatient();
      await expect.poll(() => page.getByText(/^Heure locale du patient : \d\d:\d\d \(La Réunion\)$/).count()).toBe(1);
      await page.getByRole("button", { name: /^Appeler/ }).click();
      await expect.poll(() => page.locator(".call-state").innerText(), { timeout: 20_000 }).toMatch(/Décroché/);
      await page.locator("body").press("5"); // Rappel demandé
      const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
      await page.getByLabel("Date et heure du rappel").fill(`${day}T18:00`);
      await expect.poll(() => page.getByText(/^heure locale du patient \(La Réunion\) ; à la demande du patient/).count()).toBe(1);
      await expectAccessible(page);
      await screenshot(page, "agent-overseas-callback");
      await page.getByRole("button", { name: "Enregistrer le résultat" }).click();
      await expect.poll(() => page.getByText("Résultat enregistré.").count()).toBe(1);
      // 18:00 in La Réunion (UTC+4, no summer time) is 14:00 UTC
      const { rows } = await db.query(`SELECT "callbackAt" FROM "CallAttempt" WHERE "outcome" = 'callback' ORDER BY "outcomeAt" DESC LIMIT 1`);
      expect(rows[0].callbackAt.toISOString()).toBe(`${day}T14:00:00.000Z`);
      await page.context().close();
      // the supervisors' list of callbacks names its clock (the organisation's, Paris) and gives the patient's own
      const supervisor = await newPage(journey.browser, journey.server.url);
      await login(supervisor, journey.server.users.supervisor.email, journey.server.users.supervisor.password);
      await supervisor.waitForURL("**/supervision");
      const callbacks = supervisor.getByRole("table", { name: "Rappels en attente" });
      const [y, m, d] = day.split("-");
      const paris = new Date(`${day}T14:00:00Z`).toLocaleString("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "short" });
      await expect.poll(() => callbacks.innerText()).toMatch(new RegExp(`${paris} \\(heure de Paris\\) — pour le patient : \\w+ ${d}/${m}/${y} à 18:00 \\(heure locale, La Réunion\\)`));
      await screenshot(supervisor, "supervisor-callbacks-clock");
      await supervisor.context().close();
    } finally {
      await db.end();
    }
  });

  it("manual telephony: the agent dials from their own phone, the attempt is timed and gets its outcome", async () => {
    const db = new pg.Client({ connectionString: journey.server.databaseUrl });
    await db.connect();
    const org = `(SELECT "organisationId" FROM "User" WHERE "email" = $1)`;
    try {
      await db.query(`UPDATE "Organisation" SET "telephonyProvider" = 'manual' WHERE "id" = ${org}`, [journey.server.users.agent.email]);
      const page = await agentWithPatient();
      expect(await page.getByRole("button", { name: /^Appeler/ }).count()).toBe(0); // nothing the console could dial
      const link = page.getByRole("link", { name: /^Appeler 0\d+( \d\d){3,4} depuis mon téléphone$/ });
      expect(await link.getAttribute("href")).toMatch(/^tel:\+\d+$/);
      // the browser hands tel: to the agent's phone (here: nowhere); the console starts the timed attempt
      await page.evaluate(() => document.addEventListener("click", (e) => (e.target as Element).closest("a[href^='tel:']") && e.preventDefault(), true));
      await link.click();
      await expect.poll(() => page.locator(".call-state").innerText()).toMatch(/^Appel depuis votre téléphone : composez le \+\d+, puis notez le résultat ci-dessous\.$/);
      expect(await page.getByRole("button", { name: "Raccrocher" }).count()).toBe(0);
      await screenshot(page, "agent-manual-call");
      await page.locator("body").press("2"); // Pas de réponse
      await expect.poll(() => page.getByText("Résultat enregistré.").count()).toBe(1);
      const { rows } = await db.query(`SELECT "provider", "outcome" FROM "CallAttempt" ORDER BY "createdAt" DESC LIMIT 1`);
      expect(rows[0]).toEqual({ provider: "manual", outcome: "no_answer" });
      await page.context().close();
    } finally {
      await db.query(`UPDATE "Organisation" SET "telephonyProvider" = 'simulator' WHERE "id" = ${org}`, [journey.server.users.agent.email]);
      await db.end();
    }
  });

  it("a call whose server process is gone ends « coupé » on the card, live; the agent records its one outcome", async () => {
    const page = await agentWithPatient();
    await page.getByRole("button", { name: /^Appeler/ }).click();
    await expect.poll(() => page.locator(".call-state").innerText(), { timeout: 20_000 }).toMatch(/Décroché/);
    // what a server killed mid-call leaves: the call on a line nobody holds any more (its timers died with it)
    await withDb((db) => db.query(`UPDATE "CallAttempt" SET "providerCallId" = regexp_replace("providerCallId", '^SIM-[0-9]+-', 'SIM-7-') WHERE "outcome" IS NULL`));
    // the worker's sweep (every 10 s) ends it, and the console hears of it at once
    await expect.poll(() => page.locator(".call-state").innerText(), { timeout: 30_000 }).toBe("Appel terminé — une personne a répondu — appel coupé : serveur redémarré");
    expect(await page.getByRole("button", { name: "Raccrocher" }).count()).toBe(0);
    await screenshot(page, "agent-call-cut");
    await page.reload(); // as after reconnecting to another server: the card says the same
    await expect.poll(() => page.locator(".call-state").innerText()).toBe("Appel terminé — une personne a répondu — appel coupé : serveur redémarré");
    await page.locator("body").press("2"); // Pas de réponse
    await expect.poll(() => page.getByText("Résultat enregistré.").count()).toBe(1);
    const { rows } = await withDb((db) => db.query(`SELECT "outcome", "callStatus", "endReason" FROM "CallAttempt" ORDER BY "createdAt" DESC LIMIT 1`));
    expect(rows).toEqual([{ outcome: "no_answer", callStatus: "ended", endReason: "process-gone" }]);
    await page.context().close();
  });

  it("a pause chosen after the outcome: the buttons say « Reprendre », not « Patient suivant », and follow every state", async () => {
    const page = await agentWithPatient();
    await page.getByRole("button", { name: /^Appeler/ }).click();
    await expect.poll(() => page.locator(".call-state").innerText(), { timeout: 20_000 }).toMatch(/Décroché/);
    await page.locator("body").press("1");
    await expect.poll(() => page.getByRole("heading", { name: /^Mon état : Après-appel/ }).count()).toBe(1);
    // the state pushed on the socket may show « Après-appel » a moment before the outcome's answer clears the card
    await expect.poll(() => page.getByRole("button", { name: "Patient suivant" }).isEnabled()).toBe(true);
    await page.getByLabel("Motif de pause").selectOption("training");
    await page.getByRole("button", { name: "Pause" }).click();
    await expect.poll(() => page.getByRole("heading", { name: /^Mon état : En pause \(Formation\)/ }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Patient suivant" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Reprendre" }).isEnabled()).toBe(true);
    expect(await page.getByRole("timer").count()).toBe(0); // no wrap-up time while paused
    expect(await page.getByRole("button", { name: "Pause" }).isDisabled()).toBe(true); // already paused for that reason
    expect(await page.getByText("Résultat enregistré.").count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, "agent-paused-after-call");
    await page.getByRole("button", { name: "Hors ligne" }).click();
    await expect.poll(() => page.getByRole("heading", { name: /^Mon état : Hors ligne/ }).count()).toBe(1);
    expect(await page.getByRole("button", { name: "Hors ligne" }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Prêt" }).click();
    await expect.poll(() => page.getByText("Pourquoi ce patient :").count()).toBe(1);
    expect(await page.getByRole("button", { name: "Prêt" }).isDisabled()).toBe(true); // holding a patient
    await page.getByRole("button", { name: "Pause" }).click(); // not called yet: the patient goes back
    await expect.poll(() => page.getByRole("button", { name: "Reprendre" }).count()).toBe(1);
    await page.context().close();
  });

  it("« Prêt » with nobody to call says why (outside the calling hours, the next window on the patient's clock, La Réunion's); the next patient still comes by itself", async () => {
    const campaign = `(SELECT "id" FROM "Campaign" WHERE "name" LIKE 'Démo%' AND "status" = 'running' LIMIT 1)`;
    // the patients in La Réunion (as the journey above left them), and their windows only on the day after tomorrow
    // there, 10:00-12:00: closed now, on their clock
    await withDb((db) => db.query(`UPDATE "Patient" SET "inseeCode" = '97411', "postalCode" = '97400' WHERE "organisationId" = (SELECT "organisationId" FROM "User" WHERE "email" = $1)`, [journey.server.users.agent.email]));
    const day = await withDb(async (db) => (await db.query(`SELECT extract(isodow FROM (now() AT TIME ZONE 'Indian/Reunion') + interval '2 days')::text AS d`)).rows[0].d as string);
    const before = await withDb(async (db) => (await db.query(`SELECT "callingWindows" FROM "Campaign" WHERE "id" = ${campaign}`)).rows[0].callingWindows);
    await withDb((db) => db.query(`UPDATE "Campaign" SET "callingWindows" = $1 WHERE "id" = ${campaign}`, [{ [day]: [["10:00", "12:00"]] }]));
    // the callbacks the journeys above noted come at their asked time, windows or not: one due before that window
    // (after 20:00 UTC it is already the next day in La Réunion) would be the reason given. Patients to call as the others.
    await withDb((db) => db.query(`UPDATE "Enrolment" SET "callbackAt" = NULL, "callbackAgentId" = NULL, "dueAt" = now() WHERE "campaignId" = ${campaign} AND "dialState" = 'waiting' AND "callbackAt" IS NOT NULL`));
    try {
      const page = await newPage(journey.browser, journey.server.url);
      await login(page, journey.server.users.agent.email, journey.server.users.agent.password);
      await page.waitForURL("**/agent");
      await page.getByRole("button", { name: /^(Prêt|Patient suivant|Reprendre)$/ }).click();
      const panel = page.getByRole("region", { name: "Aucun patient à appeler pour le moment" });
      await expect.poll(() => panel.count()).toBe(1);
      await expect.poll(() => panel.getByRole("status").innerText()).toMatch(
        /^Démo[^:]* : Plages d'appel fermées maintenant : pas d'appel ce jour-là \(\w+\) ; prochaine plage : \w+ \d\d\/\d\d\/\d{4} à 10:00 \(heure locale, La Réunion\)\.\s+Vous restez prêt/);
      expect(await page.getByText(/Aucun patient à appeler pour le moment/).count()).toBe(1);
      expect(await page.getByRole("button", { name: "Prêt" }).isDisabled()).toBe(true); // ready: the dialer asks again by itself
      await expectAccessible(page);
      await screenshot(page, "agent-nobody-outside-hours");
      // the coordinator opens the windows again (the patients put off to the opening are due at once, as a save of the
      // rules does): the agent, still ready, gets the next patient without a click
      await withDb((db) => db.query(`WITH c AS (UPDATE "Campaign" SET "callingWindows" = $1 WHERE "id" = ${campaign} RETURNING "id")
        UPDATE "Enrolment" SET "dueAt" = now(), "deferredUntil" = NULL WHERE "campaignId" IN (SELECT "id" FROM c) AND "deferredUntil" = "dueAt" AND "dialState" = 'waiting'`, [before]));
      await expect.poll(() => page.getByText("Pourquoi ce patient :").count(), { timeout: 20_000 }).toBe(1);
      expect(await panel.count()).toBe(0);
      await page.context().close();
    } finally {
      await withDb((db) => db.query(`UPDATE "Campaign" SET "callingWindows" = $1 WHERE "id" = ${campaign}`, [before]));
    }
  });
});
