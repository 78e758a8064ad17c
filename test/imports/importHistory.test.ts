// A coordinator finds past imports again (a campaign's listings, the GP roster's) and manages the saved column
// mappings: on the real database, the real worker, through the API.
import { describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { makeCampaign, makeImport, makeUploadedImport } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { loginAs, type LoggedIn } from "../helpers/api.ts";
import { importSettled, uploadListing, useAppWithWorker } from "../helpers/imports.ts";

const t = useAppWithWorker();

/** Every page of a history, following `nextBefore`, and the size of each page. */
async function allPages(me: LoggedIn, path: string, limit: number) {
  const ids: string[] = [];
  const sizes: number[] = [];
  let before: string | null = null;
  do {
    const page: { items: { id: string }[]; nextBefore: string | null } = (await me.agent.get(`${path}?limit=${limit}${before ? `&before=${before}` : ""}`).expect(200)).body;
    ids.push(...page.items.map((i) => i.id));
    sizes.push(page.items.length);
    before = page.nextBefore;
  } while (before);
  return { ids, sizes };
}

describe("imports history", () => {
  it("lists a campaign's imports newest first, page by page, and only that campaign's of the organisation", async () => {
    const me = await loginAs(t.app, "coordinator");
    const org = me.user.organisationId;
    const uploader = (await makeUser(org, "coordinator", { name: "Camille Coordination" })).user;
    const campaign = await makeCampaign(org);
    const at = (day: number) => new Date(`2026-03-${String(day).padStart(2, "0")}T09:00:00Z`);
    // Three at the very same instant: the keyset's tie on the id keeps each on exactly one page.
    const made = [];
    for (const [day, fileName] of [[1, "janvier.csv"], [2, "fevrier-a.csv"], [2, "fevrier-b.csv"], [2, "fevrier-c.csv"], [3, "mars.csv"]] as const) {
      made.push(await makeImport(org, { campaignId: campaign.id, fileName, createdAt: at(day), createdById: uploader.id, status: "done" }));
    }
    // Not listed: another campaign of the organisation, its GP roster, another organisation's campaign.
    const other = await makeImport(org, { campaignId: (await makeCampaign(org)).id, createdAt: at(4) });
    const roster = await makeImport(org, { kind: "gps", fileName: "annuaire.csv", createdAt: at(4) });
    const strangerOrg = await makeOrganisation();
    const strangerCampaign = await makeCampaign(strangerOrg.id);
    const stranger = await makeImport(strangerOrg.id, { campaignId: strangerCampaign.id, createdAt: at(5) });

    const expected = [...made].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((i) => i.id);
    const paged = await allPages(me, `/api/campaigns/${campaign.id}/imports`, 2);
    expect(paged.ids).toEqual(expected);
    expect(paged.sizes).toEqual([2, 2, 1]);
    expect(paged.ids).not.toContain(other.id);
    expect(paged.ids).not.toContain(stranger.id);

    const first = (await me.agent.get(`/api/campaigns/${campaign.id}/imports`).expect(200)).body;
    expect(first.nextBefore).toBeNull();
    expect(first.items[0]).toEqual({
      id: made[4].id, fileName: "mars.csv", status: "done", uploadedBy: "Camille Coordination", createdAt: at(3).toISOString(), finishedAt: null,
      counts: { rows: 0, accepted: 0, merged: 0, rejected: 0 },
    });

    // The GP roster's history is the organisation's roster imports only.
    const rosters = (await me.agent.get("/api/rosters/imports").expect(200)).body;
    expect(rosters.items.map((i: { id: string }) => i.id)).toEqual([roster.id]);

    // Another organisation's campaign is unknown here, and its import is no cursor for this list.
    expect((await me.agent.get(`/api/campaigns/${strangerCampaign.id}/imports`).expect(404)).body.error.message).toBe("Campagne introuvable.");
    expect((await me.agent.get(`/api/campaigns/${campaign.id}/imports?before=${stranger.id}`).expect(400)).body.error.message)
      .toMatch(/^Curseur « before » invalide/);
    expect((await me.agent.get(`/api/campaigns/${campaign.id}/imports?before=abc`).expect(400)).body.error.message).toMatch(/curseur invalide/);

    // A supervisor reads the history too (import:read), without the listing's rows.
    const supervisor = await loginAs(t.app, "supervisor", org);
    expect((await supervisor.agent.get(`/api/campaigns/${campaign.id}/imports`).expect(200)).body.items).toHaveLength(5);
    expect((await supervisor.agent.get(`/api/imports/${made[4].id}`).expect(200)).body.mayReadRows).toBe(false);
    expect((await me.agent.get(`/api/imports/${made[4].id}`).expect(200)).body.mayReadRows).toBe(true);
    await (await loginAs(t.app, "agent", org)).agent.get(`/api/campaigns/${campaign.id}/imports`).expect(403);
  });
});

const UNKNOWN_HEADERS = "Col A;Col B;Col C;Col D;Col E";
const MAPPING = { lastName: 0, firstName: 1, birthDate: 2, phones: [3], inseeCode: 4 };
const listing = (rows: string[]) => Buffer.from([UNKNOWN_HEADERS, ...rows].join("\r\n") + "\r\n");

describe("saved column mappings", () => {
  it("are listed as they are applied; one deleted is no longer applied to the next file with the same headers", async () => {
    const me = await loginAs(t.app, "coordinator");
    const campaign = await makeCampaign(me.user.organisationId);

    // Headers nobody recognises: the coordinator maps them once and saves the mapping.
    const first = await importSettled(me, (await uploadListing(me, campaign.id, listing(["DUPUIS;Anne;12/12/1950;06 12 34 56 78;42218"]), "colonnes.csv").expect(202)).body.id);
    expect(first.status).toBe("uploaded");
    await me.agent.put(`/api/imports/${first.id}/mapping`).set("X-CSRF-Token", me.csrf).send({ mapping: MAPPING, save: true }).expect(202);
    expect((await importSettled(me, first.id)).status).toBe("done");

    const [saved, ...more] = (await me.agent.get("/api/import-mappings?kind=patients").expect(200)).body;
    expect(more).toEqual([]);
    expect(saved).toMatchObject({
      kind: "patients", fileName: "colonnes.csv", savedBy: "Test coordinator", savedAt: expect.any(String),
      columns: [
        { column: 1, header: "col a", field: "lastName" }, { column: 2, header: "col b", field: "firstName" }, { column: 3, header: "col c", field: "birthDate" },
        { column: 4, header: "col d", field: "phones" }, { column: 5, header: "col e", field: "inseeCode" },
      ],
    });
    expect((await me.agent.get("/api/import-mappings?kind=gps").expect(200)).body).toEqual([]);
    expect(await db().auditLog.findMany({ where: { action: "import_mapping.save", targetId: saved.id }, select: { actorUserId: true, details: true } }))
      .toEqual([{ actorUserId: me.user.id, details: { importId: first.id, fileName: "colonnes.csv" } }]);

    // Applied: the next file with those headers runs by itself.
    const second = await importSettled(me, (await uploadListing(me, campaign.id, listing(["MARTIN;Paul;03/04/1948;06 98 76 54 32;42218"]), "colonnes-2.csv").expect(202)).body.id);
    expect(second).toMatchObject({ status: "done", counts: { accepted: 1 } });

    // Another organisation neither sees it nor deletes it; a supervisor may not either.
    const stranger = await loginAs(t.app, "coordinator");
    expect((await stranger.agent.get("/api/import-mappings?kind=patients").expect(200)).body).toEqual([]);
    expect((await stranger.agent.delete(`/api/import-mappings/${saved.id}`).set("X-CSRF-Token", stranger.csrf).expect(404)).body.error.message).toBe("Correspondance enregistrée introuvable.");
    const supervisor = await loginAs(t.app, "supervisor", me.user.organisationId);
    await supervisor.agent.get("/api/import-mappings?kind=patients").expect(403);
    await supervisor.agent.delete(`/api/import-mappings/${saved.id}`).set("X-CSRF-Token", supervisor.csrf).expect(403);

    await me.agent.delete(`/api/import-mappings/${saved.id}`).set("X-CSRF-Token", me.csrf).expect(204);
    expect((await me.agent.get("/api/import-mappings?kind=patients").expect(200)).body).toEqual([]);
    expect(await db().auditLog.findMany({ where: { action: "import_mapping.delete", targetId: saved.id }, select: { actorUserId: true, organisationId: true, targetType: true, details: true } })).toEqual([{
      actorUserId: me.user.id, organisationId: me.user.organisationId, targetType: "import_mapping",
      details: { kind: "patients", fileName: "colonnes.csv", headers: "col a | col b | col c | col d | col e" },
    }]);
    expect((await me.agent.delete(`/api/import-mappings/${saved.id}`).set("X-CSRF-Token", me.csrf).expect(404)).body.error.message).toBe("Correspondance enregistrée introuvable.");

    // No longer applied: the same headers wait for the coordinator's mapping again.
    const third = await importSettled(me, (await uploadListing(me, campaign.id, listing(["PETIT;Luc;11/11/1955;06 11 22 33 44;42218"]), "colonnes-3.csv").expect(202)).body.id);
    expect(third.status).toBe("uploaded");
    expect(third.needsMapping).toMatchObject({ savedMapping: false });

    // The three uploads, newest first, as « Imports précédents » shows them.
    const history = (await me.agent.get(`/api/campaigns/${campaign.id}/imports`).expect(200)).body.items;
    expect(history.map((i: { fileName: string; status: string }) => [i.fileName, i.status])).toEqual([["colonnes-3.csv", "uploaded"], ["colonnes-2.csv", "done"], ["colonnes.csv", "done"]]);
    expect(history[1]).toMatchObject({ uploadedBy: "Test coordinator", counts: { rows: 1, accepted: 1, merged: 0, rejected: 0 }, finishedAt: expect.any(String) });
  });
});

describe("an import left waiting for its mapping", () => {
  it("is not launched once its campaign is closed", async () => {
    const me = await loginAs(t.app, "coordinator");
    const campaign = await makeCampaign(me.user.organisationId);
    const waiting = await makeUploadedImport(me.user.organisationId, campaign.id); // headers NOM, PRENOM, DDN
    await db().campaign.update({ where: { id: campaign.id }, data: { status: "closed" } });
    const res = await me.agent.put(`/api/imports/${waiting.id}/mapping`).set("X-CSRF-Token", me.csrf).send({ mapping: { lastName: 0, firstName: 1, birthDate: 2 } }).expect(409);
    expect(res.body.error.message).toBe("Cette campagne est clôturée : elle ne reçoit plus de listing.");
    expect((await db().import.findUniqueOrThrow({ where: { id: waiting.id } })).status).toBe("uploaded");
  });
});
