// The retention job erases the identities it should and nothing else, keeps the aggregates and the
// consent log, and runs from its BullMQ queue.
import { afterAll, describe, expect, it } from "vitest";
import { pgPool } from "../../server/pgPool.ts";
import { PassThrough } from "node:stream";
import { applyRetention } from "../../server/privacy/applyRetention.ts";
import { exportPatients } from "../../server/imports/exportPatients.ts";
import { writeDeclarationFile } from "../../server/declarations/writeDeclarationFile.ts";
import { ERASED_NAME } from "../../server/privacy/erasePatients.ts";
import { campaignFunnel } from "../../server/reports/campaignFunnel.ts";
import { createWorkerConnection } from "../../server/redis.ts";
import { processRetention, retentionQueue, scheduleRetention } from "../../queues/retention.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { makeCampaign } from "../factories/campaigns.ts";
import { makeGp } from "../factories/matching.ts";
import { makeImportWithSources, makeStories } from "../factories/reports.ts";

const NOW = new Date("2026-12-01T12:00:00Z");
const monthsAgo = (m: number) => new Date(Date.UTC(2026, 11 - m, 1, 12));

async function closeCampaign(id: string, closedAt: Date | null) {
  await pgPool().query(`UPDATE "Campaign" SET "status" = 'closed' WHERE "id" = $1`, [id]);
  if (closedAt) await pgPool().query(`UPDATE "Campaign" SET "closedAt" = $2 WHERE "id" = $1`, [id, closedAt]);
}
const patient = async (id: string) => (await pgPool().query(`SELECT *, to_char("birthDate", 'YYYY-MM-DD') AS born FROM "Patient" WHERE "id" = $1`, [id])).rows[0];

describe("retention", () => {
  it("the database stamps the closing date of a campaign", async () => {
    const org = await makeOrganisation();
    const c = await makeCampaign(org.id);
    await closeCampaign(c.id, null);
    const { rows } = await pgPool().query(`SELECT "closedAt" FROM "Campaign" WHERE "id" = $1`, [c.id]);
    expect(Date.now() - rows[0].closedAt.getTime()).toBeLessThan(60_000);
  });

  it("erases patients whose every campaign closed more than N months ago, keeps aggregates, consents and everyone else", async () => {
    const org = await makeOrganisation();
    const agent = (await makeUser(org.id, "agent")).user.id;
    const gp = await makeGp(org.id);
    const old = await makeCampaign(org.id, { name: "Ancienne" });
    const recent = await makeCampaign(org.id, { name: "Récente" });
    const running = await makeCampaign(org.id, { name: "En cours" });
    const at = new Date("2024-03-05T10:00:00Z");
    const [gone, opposed] = await makeStories(org.id, old.id, [
      {
        attempts: [{ outcome: "reached", agentId: agent, at, durationSeconds: 60, comment: "Mme Dupont préfère le matin" }],
        consents: [{ purpose: "share_identity", granted: true, at }],
        orientation: { status: "confirmed", gpId: gp.id, bookedById: agent, reservedAt: at, answeredAt: at, declaration: { status: "declared", answeredAt: at } },
      },
      { attempts: [{ outcome: "opposed", agentId: agent, at }] },
    ]);
    const [oldAndRecent, oldAndRunning] = await makeStories(org.id, old.id, [{}, {}]);
    await pgPool().query(`INSERT INTO "Enrolment" ("id", "campaignId", "patientId", "eligible", "priority", "priorityLabel", "updatedAt") VALUES (gen_random_uuid(), $1, $2, true, 0, 'x', now()), (gen_random_uuid(), $3, $4, true, 0, 'x', now())`,
      [recent.id, oldAndRecent.patientId, running.id, oldAndRunning.patientId]);
    const [onlyRecent] = await makeStories(org.id, recent.id, [{}]);
    const { rows: [noCampaign] } = await pgPool().query(
      `INSERT INTO "Patient" ("id", "organisationId", "matchKey", "lastName", "birthDate", "phones", "optOut", "updatedAt") VALUES (gen_random_uuid(), $1, 'pk:register', 'REGISTRE', '1960-01-01', '[]', true, now()) RETURNING "id"`, [org.id]);
    // the opposed patient came with a NIR: the register must still recognise them
    await pgPool().query(`UPDATE "Patient" SET "matchKey" = 'nir:keyedhash', "nirHash" = 'keyedhash' WHERE "id" = $1`, [opposed.patientId]);
    await pgPool().query(`INSERT INTO "Opposition" ("patientId", "organisationId", "source", "comment") VALUES ($1, $2, 'call', 'dit s''appeler Dupont')`, [opposed.patientId, org.id]);
    const oldImport = await makeImportWithSources(org.id, old.id, [gone.patientId, opposed.patientId]);
    const recentImport = await makeImportWithSources(org.id, recent.id, [onlyRecent.patientId]);
    // uploads waiting for their column mapping: one left 8 days ago is dropped with its file, one of yesterday waits
    const upload = async (daysAgo: number) => {
      const { rows: [imp] } = await pgPool().query<{ id: string }>(
        `INSERT INTO "Import" ("id", "organisationId", "campaignId", "kind", "fileName", "fileSize", "fileHash", "status", "createdAt")
         VALUES (gen_random_uuid(), $1, $2, 'patients', 'listing.csv', 20, 'h', 'uploaded', $3) RETURNING "id"`,
        [org.id, running.id, new Date(NOW.getTime() - daysAgo * 86_400_000)],
      );
      for (const seq of [0, 1]) await pgPool().query(`INSERT INTO "ImportChunk" ("importId", "seq", "data") VALUES ($1, $2, $3)`, [imp.id, seq, Buffer.from("NOM;NIR\nDUPONT;150034221812333\n")]);
      return imp.id;
    };
    const abandoned = await upload(8);
    const waiting = await upload(1);
    await closeCampaign(old.id, monthsAgo(30));
    await closeCampaign(recent.id, monthsAgo(6));
    // another organisation keeps identities 36 months: its patient of a campaign closed 30 months ago stays
    const other = await makeOrganisation();
    await pgPool().query(`UPDATE "Organisation" SET "retentionMonths" = 36 WHERE "id" = $1`, [other.id]);
    const otherCampaign = await makeCampaign(other.id);
    const [otherPatient] = await makeStories(other.id, otherCampaign.id, [{}]);
    await closeCampaign(otherCampaign.id, monthsAgo(30));

    const funnelBefore = await campaignFunnel(pgPool(), old.id);
    const consentsBefore = (await pgPool().query(`SELECT count(*)::int AS n FROM "Consent" WHERE "patientId" = $1`, [gone.patientId])).rows[0].n;

    await pgPool().query(`UPDATE "Patient" SET "birthKey" = 'MARTIN|LEA|1950-06-01', "usageKey" = 'DUPONT|LEA|1950-06-01' WHERE "id" = $1`, [gone.patientId]);
    const report = await applyRetention(pgPool(), org.id, { label: "test" }, NOW);
    expect(report).toMatchObject({ months: 24, erased: 2, filesDeleted: 1, rejectionsDeleted: 1 });
    const uploads = await pgPool().query(`SELECT i."id", i."status", i."error", (SELECT count(*)::int FROM "ImportChunk" c WHERE c."importId" = i."id") AS chunks FROM "Import" i WHERE i."id" = ANY($1)`, [[abandoned, waiting]]);
    expect(uploads.rows.find((r) => r.id === abandoned)).toMatchObject({ status: "failed", chunks: 0, error: expect.stringMatching(/^Dépôt abandonné : la correspondance des colonnes n'a pas été confirmée sous 7 jours/) });
    expect(uploads.rows.find((r) => r.id === waiting)).toMatchObject({ status: "uploaded", chunks: 2 });
    expect(await applyRetention(pgPool(), other.id, { label: "test" }, NOW)).toMatchObject({ months: 36, erased: 0 });

    const g = await patient(gone.patientId);
    expect(g).toMatchObject({ lastName: ERASED_NAME, firstName: null, externalId: null, birthKey: null, usageKey: null, address: null, postalCode: null, nirHash: null, phones: [], born: "1950-01-01", inseeCode: "42218", ald: true });
    expect(g.matchKey).toBe(`erased:${gone.patientId}`);
    expect(g.erasedAt).not.toBeNull();
    const o = await patient(opposed.patientId);
    expect(o).toMatchObject({ lastName: ERASED_NAME, matchKey: "nir:keyedhash", nirHash: "keyedhash", optOut: true });
    expect((await pgPool().query(`SELECT "comment" FROM "Opposition" WHERE "patientId" = $1`, [opposed.patientId])).rows[0].comment).toBeNull();
    for (const id of [oldAndRecent.patientId, oldAndRunning.patientId, onlyRecent.patientId, noCampaign.id, otherPatient.patientId]) {
      const kept = await patient(id);
      expect(kept.erasedAt, id).toBeNull();
      expect(kept.lastName).not.toBe(ERASED_NAME);
    }

    // identities elsewhere are gone: listing rows, phones and comments of the attempts
    expect((await pgPool().query(`SELECT count(*)::int AS n FROM "PatientSource" WHERE "patientId" = ANY($1)`, [[gone.patientId, opposed.patientId]])).rows[0].n).toBe(0);
    expect((await pgPool().query(`SELECT count(*)::int AS n FROM "PatientSource" WHERE "importId" = $1`, [recentImport.id])).rows[0].n).toBe(1);
    expect((await pgPool().query(`SELECT "phone", "comment", "outcome" FROM "CallAttempt" WHERE "enrolmentId" = $1`, [gone.enrolmentId])).rows).toEqual([{ phone: "", comment: null, outcome: "reached" }]);
    // the exports show no birth date for an erased patient (what is kept, 1 January of its year, is not theirs)
    const exported = new PassThrough();
    const chunks: Buffer[] = [];
    exported.on("data", (c: Buffer) => chunks.push(c));
    await exportPatients(old.id, "json", exported, { organisationId: org.id, actorUserId: null, actorLabel: "test" });
    expect(JSON.parse(Buffer.concat(chunks).toString()).find((r: { id: string }) => r.id === gone.patientId)).toMatchObject({ lastName: ERASED_NAME, birthDate: null });
    const { rows: [{ batchId }] } = await pgPool().query(`SELECT d."batchId" FROM "Declaration" d JOIN "Orientation" o ON o."id" = d."orientationId" WHERE o."patientId" = $1`, [gone.patientId]);
    const file = new PassThrough();
    const fileChunks: Buffer[] = [];
    file.on("data", (c: Buffer) => fileChunks.push(c));
    await writeDeclarationFile(pgPool(), org.id, batchId, file, { userId: agent });
    expect(Buffer.concat(fileChunks).toString()).toMatch(/;\[identité effacée\];;\r\n/);

    // the import row and its counts, the consent log, the orientation and the declaration stay
    expect((await pgPool().query(`SELECT count(*)::int AS n FROM "Import" WHERE "id" = $1`, [oldImport.id])).rows[0].n).toBe(1);
    expect((await pgPool().query(`SELECT count(*)::int AS n FROM "Consent" WHERE "patientId" = $1`, [gone.patientId])).rows[0].n).toBe(consentsBefore);
    expect(await campaignFunnel(pgPool(), old.id)).toEqual(funnelBefore);
    expect(funnelBefore.declared).toBe(1);

    // audited: one entry per patient erased, and the run's report
    const audit = await pgPool().query(`SELECT "action", "targetId", "details" FROM "AuditLog" WHERE "organisationId" = $1 AND "action" IN ('patient.erased', 'retention.run') ORDER BY "id"`, [org.id]);
    expect(audit.rows.filter((r) => r.action === "patient.erased").map((r) => r.targetId).sort()).toEqual([gone.patientId, opposed.patientId].sort());
    expect(audit.rows.at(-1)).toMatchObject({ action: "retention.run", details: { erased: 2, months: 24 } });

    // twice is harmless
    expect(await applyRetention(pgPool(), org.id, { label: "test" }, NOW)).toMatchObject({ erased: 0, filesDeleted: 0 });
  });

  it("is scheduled on its queue every night and its processor runs every organisation", async () => {
    const connection = createWorkerConnection();
    const queue = retentionQueue(connection);
    try {
      await scheduleRetention(queue);
      await scheduleRetention(queue);
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((s) => [s.key, s.pattern, s.tz])).toEqual([["apply-retention", "30 2 * * *", "Europe/Paris"]]);
      const result = (await processRetention({} as never)) as { organisations: number };
      expect(result.organisations).toBeGreaterThan(0);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });
});

afterAll(() => undefined);
