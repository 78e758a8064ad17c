// npm run simulate -- --patients 500000 --agents 300 --mode progressive
// Replays a whole drive on an accelerated (virtual) clock: virtual agents work the campaign's calling
// hours through the product's own domain functions on a real PostgreSQL database (claimNextPatient,
// startCall, recordConsent, findCandidates + bookOrientation, recordOutcome, answerOrientation for the
// GPs, createDeclarationBatch and applyDeclarationAnswers for the fund, expireReservations), each given
// the virtual "now". Calls follow the simulator provider's rates (SIMULATOR_RATES: person, voicemail,
// busy). Reports the funnel (campaignFunnel, the product's one definition) per agent-hour, occupancy,
// attempts per reached patient and the days needed, for preview and progressive side by side.
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import pg from "pg";
import { runMigrations } from "../scripts/prisma-migrate.ts";
import { describeMachine } from "./machine.ts";

const PG = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432";
type Mode = "preview" | "progressive";

export interface SimulateOptions {
  patients: number;
  agents: number;
  modes: Mode[];
  /** GP places for new patients, as a share of the listing */
  capacityRatio: number;
  maxDays: number;
  seed: number;
}

/** Deterministic pseudo-random numbers (mulberry32), so both modes face the same patients. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// What a person who answers says (assumptions, documented in BENCHMARKS.md), and the handle times.
const ANSWERS: [string, number][] = [
  ["has_mt", 0.08], ["refused", 0.1], ["wrong_number", 0.03], ["moved", 0.02], ["deceased", 0.01], ["opposed", 0.02], ["callback", 0.1], ["wants_gp", 0.64],
];
const GP_CONFIRMS = 0.85;
const FUND_DECLARES = 0.95;

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: `${PG}/postgres` });
  await c.connect();
  await c.query(sql);
  await c.end();
}

async function simulateMode(mode: Mode, o: SimulateOptions) {
  const DB = `omt_sim_${mode}`;
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${DB}" TEMPLATE "${TEMPLATE}"`);
  const url = `${PG}/${DB}`;
  process.env.DATABASE_URL = url;
  const { loadCommunes } = await import("../server/geo/communes.ts");
  const { claimNextPatient } = await import("../server/dialer/claimNextPatient.ts");
  const { startCall } = await import("../server/dialer/startCall.ts");
  const { recordOutcome } = await import("../server/dialer/recordOutcome.ts");
  const { checkCallingWindow } = await import("../server/dialer/callingWindow.ts");
  const { DEFAULT_WINDOWS } = await import("../server/dialer/callingRules.ts");
  const { recordConsent } = await import("../server/consent/recordConsent.ts");
  const { findCandidates } = await import("../server/matching/findCandidates.ts");
  const { bookOrientation } = await import("../server/matching/bookOrientation.ts");
  const { answerOrientation } = await import("../server/matching/answerOrientation.ts");
  const { expireReservations } = await import("../server/matching/expireReservations.ts");
  const { createDeclarationBatch } = await import("../server/declarations/createDeclarationBatch.ts");
  const { applyDeclarationAnswers } = await import("../server/declarations/applyDeclarationAnswers.ts");
  const { campaignFunnel } = await import("../server/reports/campaignFunnel.ts");
  const { env } = await import("../server/env.ts");
  const rates = env().SIMULATOR_RATES;

  const pool = new pg.Pool({ connectionString: url, max: Math.min(40, o.agents + 4) });
  const { inTransaction, withClient } = await import("../server/pgPool.ts");
  const tx = <T>(fn: (c: pg.PoolClient) => Promise<T>) => inTransaction(fn, pool);
  /** The dialer's functions run their own statements, outside a transaction (decision 013). */
  const conn = <T>(fn: (c: pg.PoolClient) => Promise<T>) => withClient(fn, pool);


  // ---- the drive: a CPAM, its agents, one campaign with the default rules, a listing, a GP roster
  const rand = rng(o.seed);
  const setupStart = performance.now();
  // A territory of K communes (weighted by population): patients and GPs live in the same places, as in a
  // fund's department; a national drive is many such territories (K grows with the listing).
  const all = loadCommunes().current.filter((c) => c.lat !== null && c.population > 2000 && !c.department.startsWith("97") && c.department !== "2A" && c.department !== "2B");
  const K = Math.max(10, Math.min(all.length, Math.round(o.patients / 250)));
  const communes = Array.from({ length: K }, () => all[Math.floor(rand() * all.length)]);
  const totalPop = communes.reduce((s, c) => s + c.population, 0);
  const pickCommune = () => {
    let r = rand() * totalPop;
    for (const c of communes) if ((r -= c.population) <= 0) return c;
    return communes[communes.length - 1];
  };
  const org = (await pool.query(`INSERT INTO "Organisation" ("id", "kind", "name", "updatedAt") VALUES (gen_random_uuid(), 'CPAM', 'CPAM simulée', now()) RETURNING "id"`)).rows[0].id as string;
  const coordinator = (await pool.query(`INSERT INTO "User" ("id", "organisationId", "email", "name", "role", "passwordHash", "updatedAt") VALUES (gen_random_uuid(), $1, 'coordination@sim.fr', 'Coordination', 'coordinator', 'x', now()) RETURNING "id"`, [org])).rows[0].id as string;
  const agents = (await pool.query<{ id: string; name: string }>(
    `INSERT INTO "User" ("id", "organisationId", "email", "name", "role", "passwordHash", "updatedAt")
     SELECT gen_random_uuid(), $1, 'agent' || i || '@sim.fr', 'Agent ' || i, 'agent', 'x', now() FROM generate_series(1, $2) i RETURNING "id", "name"`, [org, o.agents])).rows
    .map((r) => ({ id: r.id, organisationId: org, name: r.name }));
  const start = new Date("2027-01-04T09:00:00Z"); // a Monday, 10:00 in Paris
  const campaign = (await pool.query(
    `INSERT INTO "Campaign" ("id", "organisationId", "name", "type", "status", "dialMode", "updatedAt") VALUES (gen_random_uuid(), $1, 'Campagne simulée', 'ald_sans_mt', 'running', $2, now()) RETURNING "id"`,
    [org, mode])).rows[0].id as string;
  const scriptVersionId = randomUUID();
  await pool.query(`INSERT INTO "ScriptVersion" ("id", "campaignId", "version", "body", "questions") VALUES ($1, $2, 1, 'Script simulé', $3)`,
    [scriptVersionId, campaign, { contact: "Acceptez-vous d'être contacté ?", share_identity: "Acceptez-vous que votre identité soit transmise au médecin ?", mt_declaration: "Acceptez-vous que la caisse enregistre la déclaration ?" }]);
  const BATCH = 20_000;
  for (let from = 0; from < o.patients; from += BATCH) {
    const n = Math.min(BATCH, o.patients - from);
    const rows = Array.from({ length: n }, (_, k) => {
      const i = from + k;
      const c = pickCommune();
      const ald = rand() < 0.6;
      const age = 17 + Math.floor(rand() * 75);
      const css = rand() < 0.12;
      const priority = ald ? 0 : age >= 70 ? 1 : css ? 2 : 3;
      const phone = `+336${String(10_000_000 + Math.floor(rand() * 89_999_999))}`;
      return [`s${i}`, `PATIENT${i}`, `${2027 - age}-06-15`, JSON.stringify([{ e164: phone, type: "mobile", country: "FR" }]), c.inseeCode, ald, css, priority, ["ALD", "70 ans et plus", "CSS", "autre"][priority]];
    });
    await pool.query(
      `WITH input AS (SELECT * FROM unnest($3::text[], $4::text[], $5::date[], $6::jsonb[], $7::text[], $8::bool[], $9::bool[], $10::int[], $11::text[])
                      AS t("matchKey", "lastName", "birthDate", "phones", "inseeCode", "ald", "css", "priority", "label")),
       p AS (INSERT INTO "Patient" ("id", "organisationId", "matchKey", "lastName", "birthDate", "phones", "inseeCode", "ald", "css", "updatedAt")
             SELECT gen_random_uuid(), $1, "matchKey", "lastName", "birthDate", "phones", "inseeCode", "ald", "css", now() FROM input RETURNING "id", "matchKey")
       INSERT INTO "Enrolment" ("id", "campaignId", "patientId", "eligible", "priority", "priorityLabel", "dueAt", "updatedAt")
       SELECT gen_random_uuid(), $2, p."id", true, i."priority", i."label", $12, now() FROM p JOIN input i USING ("matchKey")`,
      [org, campaign, ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((col) => rows.map((r) => r[col])), start]);
  }
  // GPs taking new patients around the patients' communes: places = capacityRatio × listing
  const places = Math.round(o.patients * o.capacityRatio);
  const gps = Math.max(1, Math.round(places / 8));
  const gpRows = Array.from({ length: gps }, (_, i) => {
    const c = pickCommune();
    return [String(10_000_000_000 + i), `MEDECIN${i}`, c.inseeCode, c.lat! + (rand() - 0.5) * 0.05, c.lng! + (rand() - 0.5) * 0.05, Math.max(1, Math.round((places / gps) * (0.5 + rand()))), rand() < 0.9];
  });
  await pool.query(
    `INSERT INTO "Gp" ("id", "organisationId", "rpps", "lastName", "inseeCode", "lat", "lng", "capacity", "acceptsNew", "acceptsAld", "updatedAt")
     SELECT gen_random_uuid(), $1, r, l, i, la, ln, c, true, a, now() FROM unnest($2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::int[], $8::bool[]) AS t(r, l, i, la, ln, c, a)`,
    [org, ...[0, 1, 2, 3, 4, 5, 6].map((col) => gpRows.map((r) => r[col]))]);
  await pool.query("ANALYZE");
  const setupSeconds = (performance.now() - setupStart) / 1000;

  // ---- virtual time: agents work the campaign's default hours (Europe/Paris), in rounds of 10 minutes
  const isOpen = (t: Date) => checkCallingWindow(t, "75056", { windows: DEFAULT_WINDOWS, skipPublicHolidays: true }).open;
  const nextOpening = (t: Date) => {
    const w = checkCallingWindow(t, "75056", { windows: DEFAULT_WINDOWS, skipPublicHolidays: true });
    return w.open ? t : w.nextOpening ?? new Date(t.getTime() + 3600_000);
  };
  const ROUND_MS = 10 * 60_000;
  const sec = (a: number, b: number) => (a + rand() * (b - a)) * 1000;
  const agentClock = new Map(agents.map((a) => [a.id, start.getTime()]));
  /** When the agent's current wait for a patient began; after 30 minutes of it, they log off until the next day. */
  const idleSinceOf = new Map<string, number | null>();
  let busyMs = 0;
  let staffedMs = 0;
  let attempts = 0;
  let personCalls = 0;
  const gpAnswers: { at: number; orientationId: string }[] = [];
  const fundAnswers: { at: number; batchId: string }[] = [];
  const wallStart = performance.now();

  async function work(agent: (typeof agents)[number], roundEnd: number) {
    let t = agentClock.get(agent.id)!;
    let idleSince = idleSinceOf.get(agent.id) ?? null;
    while (t < roundEnd) {
      if (!isOpen(new Date(t + 90_000))) {
        // a minute and a half before the window closes, no new patient (startCall refuses a call outside it: rule 4)
        t = Math.max(t + 60_000, nextOpening(new Date(t + 90_000)).getTime());
        idleSince = null;
        continue;
      }
      const now = new Date(t);
      const claim = await conn((c) => claimNextPatient(c, agent, now));
      if (!claim) {
        // nothing due: wait 5 minutes; after 30 minutes without a patient, the agent logs off until tomorrow
        idleSince ??= t;
        staffedMs += 5 * 60_000;
        t += 5 * 60_000;
        if (t - idleSince >= 30 * 60_000) {
          const tomorrow = new Date(t);
          tomorrow.setUTCHours(23, 0, 0, 0);
          t = nextOpening(tomorrow).getTime();
          idleSince = null;
        }
        continue;
      }
      idleSince = null;
      const think = mode === "preview" ? sec(10, 40) : sec(1, 3); // preview: the agent reads the card and clicks
      const dialAt = new Date(t + think);
      const call = await conn((c) => startCall(c, agent, claim.enrolmentId, dialAt));
      attempts += 1;
      const r = rand();
      let talk: number;
      let wrap: number;
      let outcome: string;
      let callbackAt: Date | null = null;
      if (r < rates.human) {
        personCalls += 1;
        const ring = sec(5, 20);
        let a = rand();
        const said = ANSWERS.find(([, p]) => (a -= p) <= 0)?.[0] ?? "wants_gp";
        wrap = sec(45, 120);
        if (said === "wants_gp") {
          talk = ring + sec(240, 480); // script, consents, proposals, booking
          const during = new Date(dialAt.getTime() + ring + 60_000);
          await tx(async (c) => {
            for (const purpose of ["contact", "share_identity", "mt_declaration"] as const) {
              await recordConsent(c, agent, { purpose, granted: true, channel: "phone", scriptVersionId }, during);
            }
          });
          const booked = await tx(async (c) => {
            for (const candidate of (await findCandidates(c, { organisationId: org, heldBy: agent.id })).candidates.slice(0, 3)) {
              try {
                await c.query("SAVEPOINT book");
                return await bookOrientation(c, agent, { kind: candidate.kind, id: candidate.id }, new Date(during.getTime() + 120_000));
              } catch (err) {
                await c.query("ROLLBACK TO SAVEPOINT book");
                if ((err as { code?: string }).code !== "no_place_left") throw err;
              }
            }
            return null;
          });
          if (booked) gpAnswers.push({ at: dialAt.getTime() + (1 + rand() * 6) * 86_400_000, orientationId: booked.id });
          outcome = "reached";
        } else if (said === "callback") {
          talk = ring + sec(40, 90);
          outcome = "callback";
          callbackAt = new Date(nextOpening(new Date(dialAt.getTime() + (1 + Math.floor(rand() * 3)) * 86_400_000)).getTime() + sec(0, 3600));
        } else {
          talk = ring + sec(40, 120);
          outcome = said;
        }
      } else if (r < rates.human + rates.voicemail) {
        talk = sec(25, 40) + sec(15, 25); // rings out to the voicemail, the agent leaves a short message
        wrap = sec(10, 25);
        outcome = "voicemail";
      } else if (r < rates.human + rates.voicemail + rates.busy) {
        talk = sec(2, 6);
        wrap = sec(5, 10);
        outcome = "busy";
      } else {
        talk = sec(25, 40);
        wrap = sec(5, 15);
        outcome = "no_answer";
      }
      const end = dialAt.getTime() + talk + wrap;
      await conn((c) => recordOutcome(c, agent, call.attemptId, { outcome: outcome as never, comment: null, callbackAt }, new Date(end)));
      busyMs += end - t;
      staffedMs += end - t;
      t = end;
    }
    agentClock.set(agent.id, t);
    idleSinceOf.set(agent.id, idleSince);
  }

  let clock = start.getTime();
  let lastDay = -1;
  let doneAt: number | null = null;
  const until = start.getTime() + o.maxDays * 86_400_000;
  while (clock < until) {
    const roundEnd = clock + ROUND_MS;
    await Promise.all(agents.map((a) => work(a, roundEnd)));
    // GPs answer their reservations; the fund answers the declaration files
    for (const g of gpAnswers.filter((x) => x.at <= roundEnd)) {
      const confirm = rand() < GP_CONFIRMS;
      await tx((c) => answerOrientation(c, { organisationId: org, userId: coordinator, label: "Médecin (simulé)" }, g.orientationId,
        confirm ? { decision: "confirm" } : { decision: "decline", reason: "Patientèle complète" }, new Date(g.at))).catch(() => {});
    }
    gpAnswers.splice(0, gpAnswers.length, ...gpAnswers.filter((x) => x.at > roundEnd));
    const day = Math.floor((roundEnd - start.getTime()) / 86_400_000);
    if (day !== lastDay) {
      lastDay = day;
      const now = new Date(roundEnd);
      await tx((c) => expireReservations(c, now));
      const batch = await tx((c) => createDeclarationBatch(c, { organisationId: org, userId: coordinator }, now)).catch(() => null);
      if (batch) fundAnswers.push({ at: roundEnd + 7 * 86_400_000, batchId: batch.batchId });
      for (const f of fundAnswers.filter((x) => x.at <= roundEnd)) {
        const { rows } = await pool.query<{ id: string }>(`SELECT "id" FROM "Declaration" WHERE "batchId" = $1`, [f.batchId]);
        const table = { headers: ["reference_declaration", "statut", "motif"], rows: rows.map((d, i) => {
          const ok = rand() < FUND_DECLARES;
          return { line: i + 2, cells: [d.id, ok ? "déclaré" : "rejeté", ok ? "" : "Assuré non trouvé"] };
        }), readError: null };
        await tx((c) => applyDeclarationAnswers(c, { organisationId: org, userId: coordinator }, table as never, new Date(f.at)));
      }
      fundAnswers.splice(0, fundAnswers.length, ...fundAnswers.filter((x) => x.at > roundEnd));
      // the listing is worked when no patient is left to call or to answer for
      const { rows } = await pool.query(`SELECT count(*) FILTER (WHERE "dialState" <> 'done')::int AS open FROM "Enrolment" WHERE "campaignId" = $1`, [campaign]);
      if (doneAt === null && rows[0].open === 0) doneAt = roundEnd;
      if (doneAt !== null && gpAnswers.length === 0 && fundAnswers.length === 0) break;
    }
    clock = roundEnd;
  }
  const wallSeconds = (performance.now() - wallStart) / 1000;
  const funnel = await campaignFunnel(pool, campaign);
  const contacted = (await pool.query(
    `SELECT count(DISTINCT "enrolmentId")::int AS n FROM "CallAttempt" WHERE "campaignId" = $1 AND "outcome" IN ('reached', 'has_mt', 'refused', 'moved', 'deceased', 'opposed', 'callback')`, [campaign])).rows[0].n as number;
  const leftRows = (await pool.query(`SELECT "dialState", "lastOutcome", "attempts", "dueAt", "reorientReason" FROM "Enrolment" WHERE "campaignId" = $1 AND "dialState" <> 'done' LIMIT 5`, [campaign])).rows;
  if (process.env.SIM_DEBUG) console.log(leftRows);
  const left = (await pool.query(`SELECT count(*)::int AS n FROM "Enrolment" WHERE "campaignId" = $1 AND "dialState" <> 'done'`, [campaign])).rows[0].n as number;
  const overbooked = (await pool.query(`SELECT count(*)::int AS n FROM "Gp" WHERE "taken" > "capacity"`)).rows[0].n as number;
  await pool.end();
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  const endAt = doneAt ?? clock;
  let workingDays = 0;
  for (let d = new Date(start); d.getTime() < endAt; d = new Date(d.getTime() + 86_400_000)) {
    if (isOpen(new Date(d.getTime() + 4 * 3600_000))) workingDays += 1; // 14:00 Paris that day
  }
  const agentHours = staffedMs / 3600_000;
  return {
    mode, funnel, contacted, attempts, personCalls, left, overbooked, agentHours, occupancy: busyMs / staffedMs,
    calendarDays: (endAt - start.getTime()) / 86_400_000, workingDays, finished: doneAt !== null, setupSeconds, wallSeconds,
  };
}

const TEMPLATE = "omt_sim_template";

export async function runSimulation(o: SimulateOptions) {
  const load = loadavg();
  // Migrated once (the WASM schema engine is not meant to run twice in one process), copied for each mode.
  await admin(`DROP DATABASE IF EXISTS "${TEMPLATE}" WITH (FORCE)`);
  await runMigrations("deploy", `${PG}/${TEMPLATE}`, undefined, true);
  const { storeCommunes } = await import("../server/geo/storeCommunes.ts");
  const c = new pg.Client({ connectionString: `${PG}/${TEMPLATE}` });
  await c.connect();
  await storeCommunes(c);
  await c.end();
  const results = [];
  for (const mode of o.modes) results.push(await simulateMode(mode, o));
  await admin(`DROP DATABASE IF EXISTS "${TEMPLATE}" WITH (FORCE)`);
  return { options: o, results, loadBefore: load, loadAfter: loadavg() };
}

const f = (n: number, d = 1) => n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
const pct = (a: number, b: number) => (b ? `${f((100 * a) / b)} %` : "—");

export function formatSimulation(r: Awaited<ReturnType<typeof runSimulation>>): string {
  const cols = r.results;
  const row = (label: string, fn: (x: (typeof cols)[number]) => string) => `| ${label} | ${cols.map(fn).join(" | ")} |`;
  const perHour = (n: number, x: (typeof cols)[number]) => f(n / x.agentHours, 2);
  return [
    `| ${r.options.patients.toLocaleString("en-US")} patients, ${r.options.agents} agents | ${cols.map((x) => x.mode).join(" | ")} |`,
    `|---|${cols.map(() => "---").join("|")}|`,
    row("call attempts", (x) => x.attempts.toLocaleString("en-US")),
    row("calls answered by a person (anchor: ~26 %)", (x) => pct(x.personCalls, x.attempts)),
    row("patients contacted (a person answered: reached, has a GP, refused, callback…)", (x) => x.contacted.toLocaleString("en-US")),
    row("funnel: called → reached → consented → oriented → confirmed → declared", (x) => `${[x.funnel.called, x.funnel.reached, x.funnel.consented, x.funnel.oriented, x.funnel.confirmed, x.funnel.declared].map((n) => n.toLocaleString("en-US")).join(" → ")}`),
    row("contacted patients with a GP confirmed (anchor: ~1 in 3)", (x) => pct(x.funnel.confirmed, x.contacted)),
    row("reached / oriented / confirmed / declared per agent-hour", (x) => [x.funnel.reached, x.funnel.oriented, x.funnel.confirmed, x.funnel.declared].map((n) => perHour(n, x)).join(" / ")),
    row("agent-hours staffed", (x) => f(x.agentHours, 0)),
    row("agent occupancy (dialling, talking, wrap-up / staffed)", (x) => pct(x.occupancy, 1)),
    row("attempts per reached patient", (x) => f(x.attempts / Math.max(1, x.funnel.reached), 2)),
    row("days to work the listing (working days / calendar days)", (x) => `${x.workingDays} / ${f(x.calendarDays)}${x.finished ? "" : " (not finished)"}`),
    row("patients still to call at the end; GPs over capacity", (x) => `${x.left}; ${x.overbooked}`),
    row("wall time of the replay (setup + drive)", (x) => `${f(x.setupSeconds, 0)} s + ${f(x.wallSeconds, 0)} s`),
  ].join("\n");
}

function arg(args: string[], name: string, d: string) {
  const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return d;
  return args[i].includes("=") ? args[i].split("=")[1] : args[i + 1];
}

if (process.argv[1]?.endsWith("simulate.ts")) {
  process.env.LOG_LEVEL ??= "silent";
  const args = process.argv.slice(2);
  const mode = arg(args, "mode", "both");
  const o: SimulateOptions = {
    patients: Number(arg(args, "patients", "3000")),
    agents: Number(arg(args, "agents", "2")),
    modes: mode === "both" ? ["preview", "progressive"] : [mode as Mode],
    capacityRatio: Number(arg(args, "capacity", "0.4")),
    maxDays: Number(arg(args, "max-days", "180")),
    seed: Number(arg(args, "seed", "7")),
  };
  const r = await runSimulation(o);
  console.log(formatSimulation(r));
  console.log(`\nload average (1/5/15 min) before → after: ${r.loadBefore.map((x) => x.toFixed(2)).join(" / ")} → ${r.loadAfter.map((x) => x.toFixed(2)).join(" / ")}`);
  console.log(`${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${describeMachine()}`);
  process.exit(0);
}
