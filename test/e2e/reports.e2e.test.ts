// Journey: a coordinator reads the campaign report, the territorial diagnosis and the before/after,
// finds a patient for a right-of-access request; an admin reads the audit log and the retention.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { expectAccessible, login, newPage, screenshot, useJourney } from "./browser.ts";

const journey = useJourney();

/** A campaign that has been worked: attempts over the week, consents, orientations to an MSP and a GP, declarations. */
async function seedActivity(databaseUrl: string) {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const { rows: [{ campaignId, organisationId }] } = await c.query(`SELECT "id" AS "campaignId", "organisationId" FROM "Campaign" WHERE "name" LIKE 'Démo%' LIMIT 1`);
    const { rows: [{ agentId }] } = await c.query(`SELECT "id" AS "agentId" FROM "User" WHERE "email" = 'agent@demo.cpts.fr'`);
    const { rows: [{ teamId }] } = await c.query(
      `INSERT INTO "Team" ("id", "organisationId", "name", "inseeCode", "acceptsNew", "capacity", "capacityDeclaredAt") VALUES (gen_random_uuid(), $1, 'MSP du Haut-Forez', '42218', true, 60, now()) RETURNING "id" AS "teamId"`,
      [organisationId],
    );
    const { rows: [{ gpId }] } = await c.query(
      `INSERT INTO "Gp" ("id", "organisationId", "rpps", "lastName", "firstName", "inseeCode", "acceptsNew", "capacity", "birthYear", "updatedAt") VALUES (gen_random_uuid(), $1, '10101010101', 'ROCHE', 'Hélène', '42095', true, 15, 1972, now()) RETURNING "id" AS "gpId"`,
      [organisationId],
    );
    // imported six weeks ago, so orientations come days after the import
    await c.query(`UPDATE "Enrolment" SET "createdAt" = now() - interval '42 days' WHERE "campaignId" = $1`, [campaignId]);
    await c.query(
      `WITH e AS (SELECT "id", "patientId", row_number() OVER (ORDER BY "id") - 1 AS i FROM "Enrolment" WHERE "campaignId" = $1 AND "eligible" LIMIT 150)
       INSERT INTO "CallAttempt" ("id", "enrolmentId", "campaignId", "organisationId", "agentId", "attemptNumber", "phone", "provider", "callStatus", "createdAt", "dialledAt", "answeredAt", "durationSeconds", "outcome", "outcomeAt")
       SELECT gen_random_uuid(), e."id", $1, $2, $3, 1 + (i % 2), '+33612345678', 'simulator', 'ended', t, t, CASE WHEN o = 'reached' THEN t END, CASE WHEN o = 'reached' THEN 120 + (i % 5) * 60 END, o, t + interval '4 minutes'
       FROM e, LATERAL (SELECT (timestamp '2026-11-02 09:00' + (i % 5) * interval '1 day' + (i % 11) * interval '1 hour' + (i % 7) * interval '5 minutes') AT TIME ZONE 'Europe/Paris' AS t,
                               (ARRAY['reached','no_answer','voicemail','reached','busy','no_answer','reached','voicemail','refused','reached','wrong_number'])[1 + (i / 11 + 3 * (i % 11) + (i % 5)) % 11] AS o) x`,
      [campaignId, organisationId, agentId],
    );
    const { rows: reached } = await c.query(
      `SELECT DISTINCT e."id", e."patientId" FROM "Enrolment" e JOIN "CallAttempt" a ON a."enrolmentId" = e."id" WHERE a."outcome" = 'reached' AND e."campaignId" = $1 ORDER BY e."id"`, [campaignId]);
    for (const [i, r] of reached.entries()) {
      if (i % 5 === 4) continue;
      await c.query(`INSERT INTO "Consent" ("id", "organisationId", "patientId", "campaignId", "purpose", "granted", "channel", "recordedByLabel", "at") VALUES (gen_random_uuid(), $1, $2, $3, 'share_identity', true, 'phone', 'Anaïs Agente', timestamp '2026-11-03 10:00' AT TIME ZONE 'Europe/Paris')`, [organisationId, r.patientId, campaignId]);
      if (i % 5 === 3) continue;
      const status = i % 7 === 0 ? "declined" : i % 7 === 1 ? "reserved" : i % 7 === 2 ? "expired" : "confirmed";
      const { rows: [o] } = await c.query(
        `INSERT INTO "Orientation" ("id", "organisationId", "campaignId", "enrolmentId", "patientId", "gpId", "teamId", "assignedGpId", "status", "basis", "bookedById", "reservedAt", "expiresAt", "answeredAt")
         VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $5, $7::"OrientationStatus", 'distance', $8, now() - ($9 || ' days')::interval, now() + interval '14 days', CASE WHEN $7::text IN ('confirmed', 'declined') THEN now() - interval '1 day' END) RETURNING "id"`,
        [organisationId, campaignId, r.id, r.patientId, i % 4 === 0 ? gpId : null, i % 4 === 0 ? null : teamId, status, agentId, String(2 + (i % 25))],
      );
      if (status === "confirmed" && i % 2 === 0) {
        await c.query(`INSERT INTO "Declaration" ("id", "organisationId", "orientationId", "batchId", "gpRpps", "consentId", "status", "sentById", "answeredAt") VALUES (gen_random_uuid(), $1, $2, gen_random_uuid(), '10101010101', gen_random_uuid(), 'declared', $3, now())`, [organisationId, o.id, agentId]);
      }
    }
  } finally {
    await c.end();
  }
}

describe("reports", () => {
  it("the coordinator reads the campaign report, the diagnosis and the before/after; the admin the audit log", async () => {
    await seedActivity(journey.server.databaseUrl);
    const page = await newPage(journey.browser, journey.server.url);
    await login(page, journey.server.users.coordinator.email, journey.server.users.coordinator.password);
    await page.waitForURL("**/coordination");
    await page.getByRole("link", { name: "Rapports" }).click();
    await page.getByRole("link", { name: /Démo/ }).click();
    await expect.poll(() => page.getByRole("heading", { name: /Rapport — Démo/ }).count()).toBe(1);
    await expect.poll(() => page.getByRole("heading", { name: "Entonnoir de la campagne" }).count()).toBe(1);
    expect(await page.locator("svg.chart").count()).toBeGreaterThanOrEqual(3);
    await expect.poll(() => page.getByRole("row", { name: /^Importés \d+/ }).count()).toBe(1);
    // The hours' axis runs without a gap, in the patients' local time (the demo's overseas patients are called early there).
    const hourLabels = (await page.getByRole("img", { name: "Taux de joignabilité par heure" }).locator("text.chart-label").allInnerTexts()).map((t) => parseInt(t, 10));
    expect(hourLabels.length).toBeGreaterThanOrEqual(12);
    expect(hourLabels).toEqual(hourLabels.map((_, i) => hourLabels[0] + i));
    await expectAccessible(page);
    await screenshot(page, "coordinator-campaign-report");

    // the XLSX export downloads
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Exporter le rapport (XLSX)" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^rapport-.*\.xlsx$/);

    await page.getByRole("link", { name: "Diagnostic territorial" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "Diagnostic territorial" }).count()).toBe(1);
    await expect.poll(() => page.getByRole("row", { name: /^Territoire/ }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, "coordinator-territorial-diagnosis");

    await page.getByRole("link", { name: "Bilan avant / après" }).click();
    await page.getByLabel("Du", { exact: true }).fill("2026-10-01");
    await page.getByLabel("Au", { exact: true }).fill("2026-12-31");
    await expect.poll(() => page.getByRole("row", { name: /Organisation \(total\)/ }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, "coordinator-before-after");

    await page.getByRole("link", { name: "Droits des patients" }).click();
    await page.getByLabel("Nom, identifiant caisse ou identifiant").fill("MA");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await expect.poll(() => page.getByRole("table", { name: "Patients trouvés" }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, "coordinator-patient-rights");
    await page.context().close();

    const admin = await newPage(journey.browser, journey.server.url);
    await login(admin, journey.server.users.admin.email, journey.server.users.admin.password);
    await admin.waitForURL("**/admin");
    await expect.poll(() => admin.getByRole("heading", { name: "Journal d'audit" }).count()).toBe(1);
    await admin.getByLabel("Action").selectOption("patient.");
    await admin.getByRole("button", { name: "Filtrer" }).click();
    await expect.poll(() => admin.getByRole("cell", { name: "Identité consultée" }).count()).toBeGreaterThan(0);
    await expect.poll(() => admin.getByText(/patient\(s\) à effacer/).count()).toBe(1);
    await expectAccessible(admin);
    await screenshot(admin, "admin-audit-retention");

    // An overseas organisation: the admin sets its time zone; its days and hours follow it, and the change is logged.
    const zonePanel = admin.getByRole("region", { name: "Fuseau horaire de l'organisation" });
    await zonePanel.getByLabel("Fuseau horaire").selectOption("Indian/Reunion");
    await zonePanel.getByRole("button", { name: "Enregistrer" }).click();
    await expect.poll(() => zonePanel.getByRole("status").innerText()).toBe("Fuseau horaire enregistré : La Réunion (Indian/Reunion).");
    await admin.reload();
    await expect.poll(() => admin.getByRole("cell", { name: "La Réunion (Indian/Reunion)" }).count()).toBe(1);
    await expect.poll(() => zonePanel.getByLabel("Fuseau horaire").inputValue()).toBe("Indian/Reunion");
    await admin.getByLabel("Action").selectOption("organisation.time_zone");
    await admin.getByRole("button", { name: "Filtrer" }).click();
    await expect.poll(() => admin.getByRole("cell", { name: "Fuseau horaire modifié" }).count()).toBe(1);
    await zonePanel.scrollIntoViewIfNeeded();
    await expectAccessible(admin);
    await screenshot(admin, "admin-time-zone");

    // Retention run by hand: with identities due, it asks first and says what it erases; « Annuler » erases nothing.
    const db = new pg.Client({ connectionString: journey.server.databaseUrl });
    await db.connect();
    await db.query(`UPDATE "Campaign" SET "status" = 'closed' WHERE "name" LIKE 'Démo%'`);
    await db.query(`UPDATE "Campaign" SET "closedAt" = now() - interval '30 months' WHERE "name" LIKE 'Démo%'`);
    const erased = async () => Number((await db.query(`SELECT count(*) AS n FROM "Patient" WHERE "erasedAt" IS NOT NULL`)).rows[0].n);
    await admin.reload();
    const retention = admin.getByRole("region", { name: "Conservation des données" });
    await retention.getByRole("button", { name: "Appliquer maintenant" }).click();
    const confirm = retention.getByRole("alertdialog");
    await expect.poll(() => confirm.innerText()).toMatch(/^Effacer maintenant l'identité de \d+ patient\(s\) \? L'effacement est définitif/);
    await screenshot(admin, "admin-retention-confirm");
    await confirm.getByRole("button", { name: "Annuler" }).click();
    expect(await erased()).toBe(0);
    await retention.getByRole("button", { name: "Appliquer maintenant" }).click();
    await confirm.getByRole("button", { name: "Effacer maintenant" }).click();
    await expect.poll(() => retention.getByRole("status").innerText()).toMatch(/^Conservation appliquée : \d+ identité\(s\) effacée\(s\)/);
    expect(await erased()).toBeGreaterThan(0);
    await db.end();
    await admin.context().close();
  });
});
