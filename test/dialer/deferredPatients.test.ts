// Rule 4's other side: a patient put off to the next opening of their calling window (looked at while it was closed)
// comes back as soon as the coordinator changes the calling rules, instead of waiting for the old opening.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { pgPool, withClient } from "../../server/pgPool.ts";
import { claimNextPatient } from "../../server/dialer/claimNextPatient.ts";
import { explainNotCalled } from "../../server/dialer/explainNotCalled.ts";
import { reopenDeferredPatients } from "../../server/dialer/reopenDeferredPatients.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";

const NIGHT = new Date("2026-11-24T23:15:00Z"); // Wednesday 00:15 Paris: the default windows are closed
const MORNING = new Date("2026-11-25T09:00:00Z"); // their next opening, 10:00 Paris
const ALL_DAY = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [["00:00", "23:59"]]]));
let orgId: string;

beforeAll(async () => {
  orgId = (await makeOrganisation()).id;
});

describe("patients put off to the next opening", () => {
  it("are due again at once when the calling rules change; a due time set by an outcome stays", async () => {
    const campaign = await makeCampaign(orgId);
    await db().campaign.update({ where: { id: campaign.id }, data: { status: "running" } });
    const [putOff, retried] = await makeEnrolledPatients(orgId, campaign.id, 2, { dueAt: new Date(NIGHT.getTime() - 60_000) });
    const retryAt = new Date(NIGHT.getTime() + 4 * 3_600_000);
    await pgPool().query(`UPDATE "Enrolment" SET "dueAt" = $2, "lastOutcome" = 'no_answer' WHERE "id" = $1`, [retried.id, retryAt]); // after a « pas de réponse »
    const agent = { id: (await makeUser(orgId, "agent")).user.id, organisationId: orgId };

    expect(await withClient((c) => claimNextPatient(c, agent, NIGHT))).toBeNull();
    const dueOf = async (id: string) => (await pgPool().query(`SELECT "dueAt" FROM "Enrolment" WHERE "id" = $1`, [id])).rows[0].dueAt.toISOString();
    expect(await dueOf(putOff.id)).toBe(MORNING.toISOString());
    const why = await explainNotCalled(pgPool(), { organisationId: orgId, campaignId: campaign.id }, putOff.id, NIGHT);
    expect(why.reasons.find((r) => r.code === "not_due")?.text).toMatch(/^Reporté à l'ouverture des plages d'appel, le mercredi 25\/11\/2026 à 10:00 \(heure de Paris\)/);

    // The coordinator opens every hour of every day (as PUT /campaigns/:id/rules does, in its transaction).
    await db().$transaction(async (tx) => {
      await tx.campaign.update({ where: { id: campaign.id }, data: { callingWindows: ALL_DAY } });
      expect(await reopenDeferredPatients(tx, campaign.id, NIGHT)).toBe(1);
    });
    expect(await dueOf(putOff.id)).toBe(NIGHT.toISOString());
    expect(await dueOf(retried.id)).toBe(retryAt.toISOString());
    expect((await withClient((c) => claimNextPatient(c, agent, new Date(NIGHT.getTime() + 60_000))))?.enrolmentId).toBe(putOff.id);
  });
});
