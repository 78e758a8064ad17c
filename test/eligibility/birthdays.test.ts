// Ages are not frozen at import: a patient who turns 17 may now be called, one who turns 70 moves to the 70+
// priority, and the queue's label gives the age of the day (the housekeeping queue runs this every hour).
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { pgPool } from "../../server/pgPool.ts";
import { storeUpload } from "../../server/imports/storeUpload.ts";
import { prepareImport } from "../../server/imports/prepareImport.ts";
import { runImport } from "../../server/imports/runImport.ts";
import { birthdaysUpTo, reassessBirthdays } from "../../server/eligibility/reassessBirthdays.ts";
import { calendarDate } from "../../server/organisations/timeZone.ts";
import { makeOrganisation } from "../factories/organisations.ts";
import { makeCampaign } from "../factories/campaigns.ts";

/** dd/mm/yyyy of the day `years` years before `day` (yyyy-mm-dd). */
const yearsBefore = (day: string, years: number) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${Number(day.slice(0, 4)) - years}`;

describe("birthdays", () => {
  it("re-assess the open enrolments of the patients whose birthday it is, once", async () => {
    const org = await makeOrganisation();
    const campaign = await makeCampaign(org.id);
    const now = new Date();
    const tomorrowAt = new Date(now.getTime() + 86_400_000);
    const tomorrow = calendarDate(tomorrowAt, "Europe/Paris");
    const stored = await storeUpload(db(), { organisationId: org.id, campaignId: campaign.id, kind: "patients", fileName: "liste.csv", createdByLabel: "test" },
      Readable.from([Buffer.from([
        "IDENTIFIANT;NOM;PRENOM;DATE_NAISSANCE;TEL_PORTABLE;CODE_INSEE;ALD",
        `B17;JEUNE;Léo;${yearsBefore(tomorrow, 17)};06 12 34 56 79;42218;N`,
        `B70;ANCIEN;Marc;${yearsBefore(tomorrow, 70)};06 12 34 56 78;42218;N`,
        "OTHER;AUTRE;Eva;15/06/1950;06 12 34 56 77;42218;N",
      ].join("\r\n"))]));
    expect((await prepareImport(db(), stored.id)).ready).toBe(true);
    await runImport(stored.id);
    const enrolments = async () => (await pgPool().query(
      `SELECT p."externalId", e."eligible", e."ineligibleReason", e."priority", e."priorityLabel" FROM "Enrolment" e JOIN "Patient" p ON p."id" = e."patientId"
       WHERE e."campaignId" = $1 ORDER BY p."externalId"`, [campaign.id])).rows;
    const before = await enrolments();
    expect(before.slice(0, 2)).toEqual([
      { externalId: "B17", eligible: false, ineligibleReason: "moins de 17 ans", priority: 3, priorityLabel: "16 ans, sans MT" },
      { externalId: "B70", eligible: true, ineligibleReason: null, priority: 3, priorityLabel: "69 ans, sans MT" },
    ]);

    await reassessBirthdays(pgPool(), now); // not their birthday yet
    expect(await enrolments()).toEqual(before);
    await reassessBirthdays(pgPool(), tomorrowAt);
    const after = await enrolments();
    expect(after).toEqual([
      { externalId: "B17", eligible: true, ineligibleReason: null, priority: 3, priorityLabel: "17 ans, sans MT" },
      { externalId: "B70", eligible: true, ineligibleReason: null, priority: 1, priorityLabel: "70 ans, sans MT" },
      before[2],
    ]);
    // Run again (the next hour): nothing of this organisation changes.
    await reassessBirthdays(pgPool(), tomorrowAt);
    expect(await enrolments()).toEqual(after);
  });

  it("counts the last week's birthdays, and 29 February on 1 March of a year without one", () => {
    expect(birthdaysUpTo("2027-03-03")).toEqual(["03-03", "03-02", "03-01", "02-29", "02-28", "02-27", "02-26", "02-25"]);
    expect(birthdaysUpTo("2028-03-01")).toEqual(["03-01", "02-29", "02-28", "02-27", "02-26", "02-25", "02-24"]);
  });
});
