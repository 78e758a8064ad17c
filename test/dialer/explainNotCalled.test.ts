// "Why is this patient not called now?": every reason, in French, from the dialer's own rules —
// and the explanation agrees with what claimNextPatient actually does at the same moment.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../../server/db.ts";
import { inTransaction, pgPool, withClient } from "../../server/pgPool.ts";
import { claimNextPatient } from "../../server/dialer/claimNextPatient.ts";
import { explainNotCalled } from "../../server/dialer/explainNotCalled.ts";
import { searchCampaignPatients } from "../../server/dialer/searchCampaignPatients.ts";
import { registerOpposition } from "../../server/consent/registerOpposition.ts";
import { makeCampaign, makeEnrolledPatients } from "../factories/campaigns.ts";
import { makeOrganisation, makeUser } from "../factories/organisations.ts";
import { loginAs, startTestApp, type TestApp } from "../helpers/api.ts";

// A working day inside the default windows: Tuesday 24 November 2026, 11:00 in Paris.
const TUESDAY_11H = new Date("2026-11-24T10:00:00Z");
const HOUR = 3_600_000;

async function patientOf(overrides: Parameters<typeof makeEnrolledPatients>[3] & { status?: "draft" | "running" | "paused" | "closed"; requiresContactConsent?: boolean; name?: string } = {}) {
  const { status = "running", requiresContactConsent, name, ...patient } = overrides;
  const org = await makeOrganisation();
  const campaign = await makeCampaign(org.id, { ...(name ? { name } : {}), ...(requiresContactConsent ? { requiresContactConsent } : {}) });
  await db().campaign.update({ where: { id: campaign.id }, data: { status } });
  const [enrolment] = await makeEnrolledPatients(org.id, campaign.id, 1, patient);
  const scope = { organisationId: org.id, campaignId: campaign.id };
  const agent = await makeUser(org.id, "agent", { name: "Camille Agent" });
  return { org, campaign, enrolment, scope, agent: { id: agent.user.id, organisationId: org.id } };
}
const explain = (scope: { organisationId: string; campaignId: string }, ref: string, now = TUESDAY_11H) => explainNotCalled(pgPool(), scope, ref, now);
const claim = (agent: { id: string; organisationId: string }, now = TUESDAY_11H) => withClient((c) => claimNextPatient(c, agent, now));
const setEnrolment = (id: string, data: object) => db().enrolment.update({ where: { id }, data });
const texts = (x: { reasons: { text: string }[] }) => x.reasons.map((r) => r.text);

describe("explainNotCalled", () => {
  it("nothing stands in the way: callable now, with its place in the queue — and the dialer hands it out", async () => {
    const p = await patientOf();
    const before = await makeEnrolledPatients(p.org.id, p.campaign.id, 2, { dueAt: new Date("2025-12-01T00:00:00Z") });
    const x = await explain(p.scope, p.enrolment.patientId); // by the patient id of the export
    expect(x).toMatchObject({ enrolmentId: p.enrolment.id, callableNow: true, ahead: 2, reasons: [], timeZone: "Europe/Paris", nextPossibleAt: TUESDAY_11H });
    expect(x.summary).toBe("Rien n'empêche de l'appeler maintenant : 2 patients passent avant lui (priorité, puis ancienneté).");
    for (const b of before) await setEnrolment(b.id, { dialState: "done", doneReason: "reached" });
    expect((await explain(p.scope, p.enrolment.id)).summary).toBe("Rien n'empêche de l'appeler maintenant : il est le prochain patient de la file.");
    expect((await claim(p.agent))?.enrolmentId).toBe(p.enrolment.id);
  });

  it("campaign paused, closed or not started", async () => {
    const paused = await patientOf({ status: "paused" });
    const x = await explain(paused.scope, paused.enrolment.id);
    expect(x).toMatchObject({ callableNow: false, reasons: [{ code: "campaign_paused", text: "La campagne est en pause : le dialer n'appelle aucun de ses patients." }] });
    expect(x.summary).toBe("Pas appelé maintenant : 1 raison.");
    expect(await claim(paused.agent)).toBeNull();
    const closed = await patientOf({ status: "closed" });
    expect(texts(await explain(closed.scope, closed.enrolment.id))).toEqual(["La campagne est clôturée : plus aucun appel."]);
    const draft = await patientOf({ status: "draft" });
    expect(texts(await explain(draft.scope, draft.enrolment.id))).toEqual(["La campagne n'a pas encore démarré (brouillon) : le dialer n'appelle aucun de ses patients."]);
  });

  it("ineligible, with the reason computed at import", async () => {
    const p = await patientOf();
    await setEnrolment(p.enrolment.id, { eligible: false, ineligibleReason: "moins de 17 ans ; a déjà un médecin traitant" });
    expect((await explain(p.scope, p.enrolment.id)).reasons).toEqual([{ code: "ineligible", text: "Non éligible à cette campagne : moins de 17 ans ; a déjà un médecin traitant." }]);
    expect(await claim(p.agent)).toBeNull();
  });

  it("opposed: the register's date and origin, said once even when the import also found it", async () => {
    const p = await patientOf();
    await inTransaction((c) => registerOpposition(c, { organisationId: p.org.id, patientId: p.enrolment.patientId, source: "coordinator" }));
    await db().opposition.update({ where: { patientId: p.enrolment.patientId }, data: { at: new Date("2026-11-20T09:00:00Z") } });
    await setEnrolment(p.enrolment.id, { eligible: false, ineligibleReason: "opposé aux appels" });
    expect((await explain(p.scope, p.enrolment.id)).reasons).toEqual([
      { code: "opposed", text: "Le patient s'oppose à tout appel : inscrit au registre d'opposition de l'organisation depuis le 20/11/2026 (par la coordination)." },
    ]);
    expect(await claim(p.agent)).toBeNull();
  });

  it("no consent where the campaign requires it: never given, or refused", async () => {
    const p = await patientOf({ requiresContactConsent: true });
    await setEnrolment(p.enrolment.id, { eligible: false, ineligibleReason: "pas de consentement à être contacté" });
    expect((await explain(p.scope, p.enrolment.id)).reasons).toEqual([
      { code: "no_consent", text: "La campagne exige le consentement à être contacté, que le patient n'a pas donné." },
    ]);
    await db().patient.update({ where: { id: p.enrolment.patientId }, data: { consentContact: false } });
    await setEnrolment(p.enrolment.id, { eligible: false, ineligibleReason: "a refusé d'être contacté" });
    expect(texts(await explain(p.scope, p.enrolment.id))).toEqual([
      "La campagne exige le consentement à être contacté, et le patient l'a refusé.",
      "Non éligible à cette campagne : a refusé d'être contacté.",
    ]);
  });

  it("attempt limit reached, and other ends of the calls", async () => {
    const p = await patientOf();
    await setEnrolment(p.enrolment.id, { dialState: "done", doneReason: "max_attempts", attempts: 4, lastOutcome: "no_answer" });
    expect((await explain(p.scope, p.enrolment.id)).reasons).toEqual([
      { code: "attempt_limit", text: "Nombre maximal de tentatives atteint : 4 appels en 30 jours (4 au total)." },
    ]);
    await setEnrolment(p.enrolment.id, { doneReason: "reached", lastOutcome: "reached" });
    expect(texts(await explain(p.scope, p.enrolment.id))).toEqual(["Les appels sont terminés dans cette campagne : joint (dernier résultat : Joint)."]);
    expect(await claim(p.agent)).toBeNull();
  });

  it("next due time after a retry delay, in the patient's time zone", async () => {
    const p = await patientOf();
    await setEnrolment(p.enrolment.id, { dueAt: new Date(TUESDAY_11H.getTime() + 4 * HOUR), lastOutcome: "no_answer", attempts: 1 });
    const x = await explain(p.scope, p.enrolment.id);
    expect(x.reasons).toEqual([{ code: "not_due", text: "Prochain essai possible le mardi 24/11/2026 à 15:00 (heure de Paris) : délai de 4 h après « Pas de réponse »." }]);
    expect(x.nextPossibleAt).toEqual(new Date("2026-11-24T14:00:00Z"));
    expect(x.summary).toBe("Pas appelé maintenant : il pourra l'être le mardi 24/11/2026 à 15:00 (heure de Paris).");
    expect(await claim(p.agent)).toBeNull();
  });

  it("a due time that falls after the evening window: the next calling window is given", async () => {
    const p = await patientOf();
    await setEnrolment(p.enrolment.id, { dueAt: new Date("2026-11-24T19:30:00Z"), lastOutcome: "busy" }); // 20:30 in Paris
    const x = await explain(p.scope, p.enrolment.id);
    expect(texts(x)).toEqual([
      "Prochain essai possible le mardi 24/11/2026 à 20:30 (heure de Paris) : délai de 30 min après « Occupé ».",
      "Plages d'appel fermées à ce moment-là : hors des plages d'appel : 20:30 (heure de Paris) ; prochaine plage : mercredi 25/11/2026 à 10:00 (heure de Paris).",
    ]);
    expect(x.nextPossibleAt).toEqual(new Date("2026-11-25T09:00:00Z"));
  });

  it("outside the window now, in the overseas patient's own time (La Réunion)", async () => {
    const p = await patientOf({ inseeCode: "97411" });
    const evening = new Date("2026-11-24T17:00:00Z"); // 18:00 in Paris (open), 21:00 in La Réunion (closed)
    const x = await explain(p.scope, p.enrolment.id, evening);
    expect(x.reasons).toEqual([{
      code: "outside_window",
      text: "Plages d'appel fermées maintenant : hors des plages d'appel : 21:00 (heure locale, La Réunion) ; prochaine plage : mercredi 25/11/2026 à 10:00 (heure locale, La Réunion).",
    }]);
    expect(x.timeZone).toBe("Indian/Reunion");
    expect(await claim(p.agent, evening)).toBeNull();
  });

  it("a public holiday, then the weekend: the next window is on Monday", async () => {
    const p = await patientOf();
    const christmas = new Date("2026-12-25T10:00:00Z");
    const x = await explain(p.scope, p.enrolment.id, christmas);
    expect(x.reasons).toEqual([{ code: "public_holiday", text: "Plages d'appel fermées maintenant : jour férié (25/12/2026) ; prochaine plage : lundi 28/12/2026 à 10:00 (heure de Paris)." }]);
    expect(await claim(p.agent, christmas)).toBeNull();
  });

  it("a callback reserved for the agent who noted it, even outside the windows", async () => {
    const p = await patientOf();
    const callbackAt = new Date("2026-11-24T19:30:00Z"); // 20:30: the patient asked for it, the windows do not apply
    await setEnrolment(p.enrolment.id, { dueAt: callbackAt, callbackAt, callbackAgentId: p.agent.id, lastOutcome: "callback" });
    expect((await explain(p.scope, p.enrolment.id)).reasons).toEqual([{
      code: "callback_reserved",
      text: "Rappel demandé par le patient pour le mardi 24/11/2026 à 20:30 (heure de Paris), réservé à Camille Agent jusqu'au mardi 24/11/2026 à 20:45 (heure de Paris) ; ensuite, tout agent de la campagne peut le prendre.",
    }]);
    // at the time asked, the callback's agent gets it although the window is closed
    const atCallback = new Date(callbackAt.getTime() + 60_000);
    expect(texts(await explain(p.scope, p.enrolment.id, atCallback))).toHaveLength(1); // still reserved for Camille
    expect((await claim(p.agent, atCallback))?.enrolmentId).toBe(p.enrolment.id);
  });

  it("held by an agent right now", async () => {
    const p = await patientOf();
    expect((await claim(p.agent))?.enrolmentId).toBe(p.enrolment.id);
    expect((await explain(p.scope, p.enrolment.id)).reasons).toEqual([
      { code: "held", text: "Attribué en ce moment à Camille Agent, jusqu'au mardi 24/11/2026 à 11:01 (heure de Paris) sans signe de vie de sa console." },
    ]);
  });

  it("handled in another campaign of the same type, or held there", async () => {
    const p = await patientOf({ name: "ALD Loire B" });
    const first = await makeCampaign(p.org.id, { name: "ALD Loire A" });
    const { rows } = await pgPool().query<{ id: string }>(
      `INSERT INTO "Enrolment" ("id", "campaignId", "patientId", "eligible", "priority", "priorityLabel", "dialState", "doneReason", "heldBy", "updatedAt")
       VALUES (gen_random_uuid(), $1, $2, true, 0, 'ALD', 'held', NULL, $3, now()) RETURNING "id"`, [first.id, p.enrolment.patientId, p.agent.id]);
    expect((await explain(p.scope, p.enrolment.id)).reasons).toEqual([
      { code: "held_elsewhere", text: "En cours de traitement dans la campagne « ALD Loire A » par un agent : il sera reproposé 30 minutes après." },
    ]);
    await setEnrolment(rows[0].id, { dialState: "done", doneReason: "reached", heldBy: null });
    expect((await explain(p.scope, p.enrolment.id)).reasons).toEqual([
      { code: "handled_elsewhere", text: "Déjà traité dans la campagne « ALD Loire A » de même type (joint) : il ne sera pas appelé ici." },
    ]);
    // the dialer agrees, and says so in the enrolment: doneReason 'handled_elsewhere'
    expect(await claim(p.agent)).toBeNull();
    expect((await db().enrolment.findUniqueOrThrow({ where: { id: p.enrolment.id } })).doneReason).toBe("handled_elsewhere");
    expect((await explain(p.scope, p.enrolment.id)).reasons).toEqual([
      { code: "handled_elsewhere", text: "Déjà traité dans la campagne « ALD Loire A » de même type (joint) : il ne sera pas appelé ici." },
    ]);
  });

  it("several reasons at once are all given", async () => {
    const p = await patientOf({ status: "paused" });
    await setEnrolment(p.enrolment.id, { dueAt: new Date(TUESDAY_11H.getTime() + 24 * HOUR), lastOutcome: "voicemail" });
    const x = await explain(p.scope, p.enrolment.id);
    expect(x.reasons.map((r) => r.code)).toEqual(["campaign_paused", "not_due"]);
    expect(x.reasons[1].text).toBe("Prochain essai possible le mercredi 25/11/2026 à 11:00 (heure de Paris) : délai de 1 jour après « Messagerie ».");
    expect(x.summary).toBe("Pas appelé maintenant : 2 raisons.");
  });
});

describe("routes: GET /campaigns/:id/why-not-called and /patient-search", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it("coordinators and supervisors ask by id; coordinators find the patient by name (identities audited)", async () => {
    const p = await patientOf({ status: "paused" });
    // callable at any hour but for the pause: the routes run on the real clock
    const always = Object.fromEntries(["1", "2", "3", "4", "5", "6", "7"].map((d) => [d, [["00:00", "24:00"]]]));
    await db().campaign.update({ where: { id: p.campaign.id }, data: { callingWindows: always, skipPublicHolidays: false } });
    await db().patient.update({ where: { id: p.enrolment.patientId }, data: { lastName: "DUPRÉ", firstName: "Jean-Pierre" } });
    const coordinator = await loginAs(t.app, "coordinator", p.org.id);
    const res = await coordinator.agent.get(`/api/campaigns/${p.campaign.id}/why-not-called?patient=${p.enrolment.patientId}`).expect(200);
    expect(res.body.reasons).toEqual([{ code: "campaign_paused", text: "La campagne est en pause : le dialer n'appelle aucun de ses patients." }]);
    expect(JSON.stringify(res.body)).not.toContain("DUPR"); // the explanation carries no identity
    const supervisor = await loginAs(t.app, "supervisor", p.org.id);
    await supervisor.agent.get(`/api/campaigns/${p.campaign.id}/why-not-called?patient=${p.enrolment.id}`).expect(200);
    expect((await supervisor.agent.get(`/api/campaigns/${p.campaign.id}/why-not-called?patient=12`).expect(400)).body.error.message)
      .toBe("Données invalides : patient : identifiant de patient invalide (colonne « Identifiant » de l'export)");
    await supervisor.agent.get(`/api/campaigns/${p.campaign.id}/patient-search?q=dupre`).expect(403);

    const found = await coordinator.agent.get(`/api/campaigns/${p.campaign.id}/patient-search?q=${encodeURIComponent("dupre jean pierre")}`).expect(200);
    expect(found.body).toEqual([{ enrolmentId: p.enrolment.id, patientId: p.enrolment.patientId, lastName: "DUPRÉ", birthName: null, firstName: "Jean-Pierre", birthDate: "1950-01-01", priorityLabel: "ALD, 76 ans, sans MT" }]);
    expect((await coordinator.agent.get(`/api/campaigns/${p.campaign.id}/patient-search?q=martin`).expect(200)).body).toEqual([]);
    const audit = await db().auditLog.findMany({ where: { actorUserId: coordinator.user.id, action: "patient.identity.read" } });
    expect(audit.map((a) => [a.targetId, (a.details as { via: string }).via])).toEqual([[p.enrolment.patientId, "why_not_called_search"]]);

    // another organisation's campaign does not exist for them
    const other = await patientOf();
    await coordinator.agent.get(`/api/campaigns/${other.campaign.id}/why-not-called?patient=${other.enrolment.id}`).expect(404);
    await coordinator.agent.get(`/api/campaigns/${p.campaign.id}/why-not-called?patient=${other.enrolment.id}`).expect(404);
  });
});

describe("searchCampaignPatients: names folded as the query is", () => {
  it("finds « D’ARTAGNAN », born « CŒUR DE LA FONTAINE », however the coordinator types it", async () => {
    const p = await patientOf();
    await db().patient.update({ where: { id: p.enrolment.patientId }, data: { lastName: "D’ARTAGNAN", birthName: "CŒUR DE LA FONTAINE", firstName: "Léa" } });
    const coordinator = await makeUser(p.org.id, "coordinator");
    const search = (q: string) => searchCampaignPatients(pgPool(), { organisationId: p.org.id, campaignId: p.campaign.id }, q, { actorUserId: coordinator.user.id });
    for (const q of ["D’ARTAGNAN", "d'artagnan", "dartagnan", "artagnan", "Léa D'Artagnan", "cœur", "CŒUR", "coeur", "fontaine", "de la fontaine", "delafontaine", "lea"]) {
      expect({ q, found: (await search(q)).map((m) => m.patientId) }).toEqual({ q, found: [p.enrolment.patientId] });
    }
    expect(await search("martin")).toEqual([]);
  });
});
