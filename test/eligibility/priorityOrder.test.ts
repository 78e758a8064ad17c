// A campaign's priority order is the coordinator's: changed in the calling rules, every patient still to call takes
// their place in the new order at once (the same rank assessPatient gives), and the next claim follows it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { pgPool, withClient } from "../../server/pgPool.ts";
import { calendarDate } from "../../server/organisations/timeZone.ts";
import { claimNextPatient } from "../../server/dialer/claimNextPatient.ts";
import { assessPatient } from "../../server/eligibility/assessPatient.ts";
import { reorderQueues } from "../../server/eligibility/reorderQueues.ts";
import type { PriorityGroup } from "../../server/campaigns/schemas.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeUser } from "../factories/organisations.ts";
import { loginAs, startTestApp, type LoggedIn, type TestApp } from "../helpers/api.ts";

const DEFAULT_ORDER: PriorityGroup[] = ["ald", "age70", "css", "other"];
let t: TestApp;
let coordinator: LoggedIn;
beforeAll(async () => {
  t = await startTestApp();
  coordinator = await loginAs(t.app, "coordinator");
});
afterAll(() => t.close());
const orgId = () => coordinator.user.organisationId;

/** Patients with the given facts, enrolled with the rank of `order`; returns their enrolment ids in the same order. */
async function enrol(campaignId: string, people: { birthDate: string; ald: boolean; css: boolean }[], order: PriorityGroup[], today: string) {
  const rows = await makeEnrolledPatients(orgId(), campaignId, people.length);
  for (const [i, p] of people.entries()) {
    const rank = assessPatient({ ...p, hasMt: false, optOut: false, consentContact: null, phoneCount: 1 }, { priorityOrder: order, requiresContactConsent: false }, today).priority;
    await pgPool().query(`UPDATE "Patient" SET "birthDate" = $2, "ald" = $3, "css" = $4 WHERE "id" = $1`, [rows[i].patientId, p.birthDate, p.ald, p.css]);
    await pgPool().query(`UPDATE "Enrolment" SET "priority" = $2 WHERE "id" = $1`, [rows[i].id, rank]);
  }
  return rows.map((r) => r.id);
}
const prioritiesOf = async (ids: string[]) => {
  const { rows } = await pgPool().query<{ id: string; priority: number }>(`SELECT "id", "priority" FROM "Enrolment" WHERE "id" = ANY($1::uuid[])`, [ids]);
  return ids.map((id) => rows.find((r) => r.id === id)!.priority);
};

describe("the priority order", () => {
  it("gives every combination of groups, and every birthday around 70, the rank assessPatient gives", async () => {
    const cases: [string, string[]][] = [
      ["2026-02-28", ["1956-02-28", "1956-02-29", "1956-03-01", "1956-02-27"]], // 29 February in a leap year of birth
      ["2026-03-01", ["1956-02-29", "1956-03-01", "1956-03-02"]],
      ["2028-02-29", ["1958-02-28", "1958-03-01", "1958-02-27"]], // today is 29 February
    ];
    const order: PriorityGroup[] = ["css", "age70", "other", "ald"];
    for (const [today, birthdays] of cases) {
      const campaign = await makeCampaign(orgId());
      const people = birthdays.flatMap((birthDate) => [false, true].flatMap((ald) => [false, true].map((css) => ({ birthDate, ald, css }))));
      const ids = await enrol(campaign.id, people, DEFAULT_ORDER, today);
      await db().campaign.update({ where: { id: campaign.id }, data: { priorityOrder: order, reorderPending: true } });
      await reorderQueues(pgPool(), new Date(`${today}T12:00:00Z`));
      const expected = people.map((p) => assessPatient({ ...p, hasMt: false, optOut: false, consentContact: null, phoneCount: 1 }, { priorityOrder: order, requiresContactConsent: false }, today).priority);
      expect(await prioritiesOf(ids), today).toEqual(expected);
    }
  });

  it("is set in the calling rules: patients still to call move, those done stay, and the next claim follows the new order", async () => {
    const campaign = await makeCampaign(orgId());
    const today = calendarDate(new Date(), "Europe/Paris");
    const [ald, css, done] = await enrol(campaign.id, [
      { birthDate: "1980-05-05", ald: true, css: false },
      { birthDate: "1980-05-05", ald: false, css: true },
      { birthDate: "1980-05-05", ald: false, css: true },
    ], DEFAULT_ORDER, today);
    await pgPool().query(`UPDATE "Enrolment" SET "dialState" = 'done', "doneReason" = 'reached' WHERE "id" = $1`, [done]);
    expect(await prioritiesOf([ald, css, done])).toEqual([0, 2, 2]);

    const refused = await coordinator.agent.put(`/api/campaigns/${campaign.id}/rules`).set("x-csrf-token", coordinator.csrf).send({ priorityOrder: ["css", "ald"] }).expect(400);
    expect(refused.body.error.message).toBe("Données invalides : Ordre de priorité : chaque groupe (ald, age70, css, other) une fois");
    const saved = await coordinator.agent.put(`/api/campaigns/${campaign.id}/rules`).set("x-csrf-token", coordinator.csrf)
      .send({ priorityOrder: ["css", "ald", "age70", "other"], callingWindows: Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [["00:00", "24:00"]]])), skipPublicHolidays: false })
      .expect(200);
    expect(saved.body).toMatchObject({ priorityOrder: ["css", "ald", "age70", "other"], reorderPending: true });
    expect(await prioritiesOf([ald, css, done])).toEqual([0, 2, 2]); // moved by the housekeeping queue, not in the request
    expect(await reorderQueues(pgPool())).toBeGreaterThanOrEqual(2); // (other tests' campaigns may be pending too)
    expect(await prioritiesOf([ald, css, done])).toEqual([1, 0, 2]);
    expect((await db().campaign.findUniqueOrThrow({ where: { id: campaign.id } })).reorderPending).toBe(false);
    expect(await reorderQueues(pgPool())).toBe(0); // nothing left: running it again changes nothing

    await db().campaign.update({ where: { id: campaign.id }, data: { status: "running" } });
    const agent = await makeUser(orgId(), "agent");
    expect((await withClient((c) => claimNextPatient(c, { id: agent.user.id, organisationId: orgId() })))?.enrolmentId).toBe(css);
  });
});
