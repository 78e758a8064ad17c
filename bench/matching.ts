// npm run bench -- matching: proposals (findCandidates, as the agent's /agent/proposals route calls it, for the
// patient the agent holds) for random patients of a national drive — 500,000 patients, ~60,000 GPs (solo and in MSP
// teams) on real commune points — while a storm of bookings (bookOrientation) concentrated on a few dense cities runs
// at the same time, on the real schema and code; against pgbench select-only with the same number of database
// connections, on the same PostgreSQL, in the same run. Two phases: proposals arriving at a steady rate from many agents
// (the drive's real shape: bookings are the storm, proposals rare), then a saturated one (proposers back to back).
// Ends by checking rule 2 from the database.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { loadavg } from "node:os";
import pg from "pg";
import { runMigrations } from "../scripts/prisma-migrate.ts";
import { loadCommunes } from "../server/geo/communes.ts";
import type { Candidate } from "../server/matching/findCandidates.ts";

export interface MatchingBenchOptions {
  /** Paced phase: proposals arrive at `rate` per second (Poisson), each from a free agent of `agents`. */
  seconds: number;
  rate: number;
  agents: number;
  /** Paced phase: bookings a second, over all bookers (0: back to back). */
  bookingRate: number;
  /** Saturated phase (0 to skip): `proposers` propose back to back. */
  saturatedSeconds: number;
  proposers: number;
  bookers: number;
  connections: number;
  patients: number;
  soloGps: number;
  teams: number;
  pgbenchSeconds: number;
  /** Keep the database afterwards (to profile with EXPLAIN). */
  keep: boolean;
}

const PG = process.env.BENCH_PG_URL ?? "postgresql://postgres@127.0.0.1:5432";
const DB = "omt_bench_matching";
const PGBENCH_DB = "omt_bench_pgbench_matching";
const DOCTORS_PER_TEAM = 3;
const WARMUP_SECONDS = 2;
/** The dense cities most bookings are made in (their nearest places run out first). */
const HOT_CITIES = ["75056", "69123", "13055", "31555", "59350"];
const HOT_SHARE = 0.7;
/** One patient in this many starts with a past decline or expiry (a drive under way). */
const HISTORY_EVERY = 20;

function percentile(sorted: Float64Array, p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

/** A growable list of latencies without boxing every number. */
class Samples {
  private a = new Float64Array(1 << 16);
  n = 0;
  push(v: number) {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  sorted() {
    return this.a.slice(0, this.n).sort();
  }
}

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: `${PG}/postgres` });
  await c.connect();
  await c.query(sql);
  await c.end();
}

/** Ids are derived from the row number, so the bench picks a patient without holding 500,000 ids in memory. */
const uuidOf = (prefix: string, i: number) => createHash("md5").update(prefix + i).digest("hex");

/** Splits n rows over the weights in proportion (cumulative rounding): [lo, hi) per weight. */
function ranges(weights: number[], n: number) {
  const total = weights.reduce((s, w) => s + w, 0);
  const lo = new Array<number>(weights.length);
  const hi = new Array<number>(weights.length);
  let acc = 0;
  weights.forEach((w, k) => {
    lo[k] = Math.round((n * acc) / total);
    acc += w;
    hi[k] = Math.round((n * acc) / total);
  });
  return { lo, hi };
}

async function load(client: pg.PoolClient, o: MatchingBenchOptions) {
  const communes = loadCommunes().current.filter((c) => c.kind === "commune" && c.lat !== null && c.lng !== null && c.population > 0);
  const pop = communes.map((c) => c.population);
  const p = ranges(pop, o.patients);
  const g = ranges(pop, o.soloGps);
  const t = ranges(pop, o.teams);

  const org = (await client.query(`INSERT INTO "Organisation" ("id", "kind", "name", "updatedAt") VALUES (gen_random_uuid(), 'CPAM', 'Banc matching', now()) RETURNING "id"`)).rows[0].id as string;
  const campaign = (await client.query(
    `INSERT INTO "Campaign" ("id", "organisationId", "name", "type", "status", "updatedAt") VALUES (gen_random_uuid(), $1, 'Banc matching', 'ald_sans_mt', 'running', now()) RETURNING "id"`,
    [org])).rows[0].id as string;

  // Communes with their share of patients, solo GPs and teams, and a jitter radius (a few km, wider for big cities).
  await client.query(`CREATE TEMP TABLE bc (code text, lat float8, lng float8, radius float8, plo int, phi int, glo int, ghi int, tlo int, thi int)`);
  await client.query(
    `INSERT INTO bc SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::int[], $6::int[], $7::int[], $8::int[], $9::int[], $10::int[])`,
    [communes.map((c) => c.inseeCode), communes.map((c) => c.lat), communes.map((c) => c.lng), communes.map((c) => Math.min(6, 1 + Math.sqrt(c.population) / 300)),
      p.lo, p.hi, g.lo, g.hi, t.lo, t.hi],
  );
  // A point drawn uniformly in the disk of the commune's radius (km → degrees: 111.195 km per degree of latitude).
  const jittered = (lo: string, hi: string, extra = "") => `
    SELECT s.*, s.lat0 + s.r * cos(s.th) / 111.195 AS lat, s.lng0 + s.r * sin(s.th) / (111.195 * cos(radians(s.lat0))) AS lng
    FROM (SELECT bc.code, bc.lat AS lat0, bc.lng AS lng0, i, bc.radius * sqrt(random()) AS r, 2 * pi() * random() AS th,
                 random() AS u_open, random() AS u_cap, random() AS u_big, random() AS u_ald, random() AS u_end ${extra}
          FROM bc, generate_series(bc.${lo}, bc.${hi} - 1) i) s`;

  // Solo GPs: about one in three takes new patients, capacity mostly 0–20 (a few larger), one in five refuses ALD
  // patients, a few are leaving within six months (not proposed) or later.
  await client.query(
    `INSERT INTO "Gp" ("id", "organisationId", "rpps", "lastName", "firstName", "inseeCode", "lat", "lng", "acceptsNew", "capacity", "acceptsAld", "endOfActivity", "updatedAt")
     SELECT md5('g' || j.i)::uuid, $1, lpad((10000000000 + j.i)::text, 11, '0'), 'MEDECIN' || j.i, 'Banc', j.code, j.lat, j.lng,
            j.u_open < 0.35,
            CASE WHEN j.u_open >= 0.35 THEN 0 WHEN j.u_big < 0.03 THEN 21 + floor(j.u_cap * 30)::int ELSE floor(power(j.u_cap, 1.5) * 21)::int END,
            j.u_ald < 0.8,
            CASE WHEN j.u_end < 0.04 THEN current_date + (1 + floor(j.u_end * 4000))::int WHEN j.u_end < 0.10 THEN current_date + (365 + floor(j.u_end * 10000))::int END,
            now()
     FROM (${jittered("glo", "ghi")}) j`,
    [org],
  );
  // MSP teams (capacity held at team level, up to ~45 for three doctors) and their doctors, close to the team's point.
  await client.query(
    `INSERT INTO "Team" ("id", "organisationId", "name", "inseeCode", "lat", "lng", "acceptsNew", "capacity", "acceptsAld", "capacityDeclaredAt")
     SELECT md5('t' || j.i)::uuid, $1, 'MSP ' || j.i, j.code, j.lat, j.lng, j.u_open < 0.6,
            CASE WHEN j.u_open >= 0.6 THEN 0 ELSE floor(power(j.u_cap, 1.3) * 46)::int END, j.u_ald < 0.9, now()
     FROM (${jittered("tlo", "thi")}) j`,
    [org],
  );
  await client.query(
    `INSERT INTO "Gp" ("id", "organisationId", "rpps", "lastName", "firstName", "inseeCode", "lat", "lng", "teamId", "acceptsNew", "capacity", "acceptsAld", "updatedAt")
     SELECT md5('gt' || t.id || k)::uuid, t."organisationId", lpad((20000000000 + row_number() OVER ())::text, 11, '0'), 'EQUIPIER', 'Banc', t."inseeCode",
            t."lat" + (random() - 0.5) * 0.005, t."lng" + (random() - 0.5) * 0.007, t."id", t."acceptsNew", t."capacity" / $2, t."acceptsAld", now()
     FROM "Team" t, generate_series(1, $2) k WHERE t."organisationId" = $1`,
    [org, DOCTORS_PER_TEAM],
  );
  // Patients in communes by population, ~60 % ALD, ~8 % already seeing a GP of their commune (the "relation" path).
  await client.query(
    `INSERT INTO "Patient" ("id", "organisationId", "matchKey", "lastName", "firstName", "birthDate", "phones", "inseeCode", "ald", "relationRpps", "relationVisits", "updatedAt")
     SELECT md5('p' || i)::uuid, $1, 'banc:' || i, 'PATIENT' || i, 'Banc', DATE '1935-01-01' + floor(random() * 25000)::int,
            '[{"e164":"+33612345678","type":"mobile","country":"FR"}]', bc.code, random() < 0.6,
            CASE WHEN bc.ghi > bc.glo AND random() < 0.08 THEN lpad((10000000000 + bc.glo + floor(random() * (bc.ghi - bc.glo))::int)::text, 11, '0') END,
            NULL, now()
     FROM bc, generate_series(bc.plo, bc.phi - 1) i`,
    [org],
  );
  await client.query(
    `INSERT INTO "Enrolment" ("id", "campaignId", "patientId", "eligible", "priority", "priorityLabel", "dueAt", "updatedAt")
     SELECT md5('e' || i)::uuid, $1, md5('p' || i)::uuid, true, (random() * 3)::int, 'banc', now(), now() FROM generate_series(0, $2 - 1) i`,
    [campaign, o.patients],
  );
  // A drive under way: one patient in HISTORY_EVERY was already proposed their nearest GP, who declined or let the
  // reservation expire (not counted in places; excluded from that patient's proposals). Also what keeps the planner's
  // statistics true to a running drive: on an empty "Orientation" table, generic plans made in the first seconds scan
  // it sequentially until autovacuum's next ANALYZE.
  await client.query(
    `INSERT INTO "Orientation" ("id", "organisationId", "campaignId", "enrolmentId", "patientId", "gpId", "assignedGpId", "basis", "distanceKm", "bookedById",
                                "reservedAt", "expiresAt", "status", "answeredAt", "answeredByLabel", "declineReason")
     SELECT gen_random_uuid(), $1, $2, md5('e' || i)::uuid, md5('p' || i)::uuid, n.gp, n.gp, 'distance', 1, gen_random_uuid(), now() - interval '30 days', now() - interval '16 days',
            CASE WHEN i % 2 = 0 THEN 'declined' ELSE 'expired' END::"OrientationStatus", CASE WHEN i % 2 = 0 THEN now() - interval '20 days' END,
            CASE WHEN i % 2 = 0 THEN 'lien médecin' END, CASE WHEN i % 2 = 0 THEN 'patientèle complète' END
     FROM (SELECT bc.plo, bc.phi, (SELECT x."id" FROM "Gp" x
                                   WHERE x."lat" IS NOT NULL AND x."lng" IS NOT NULL AND x."teamId" IS NULL AND x."acceptsNew" AND x."capacity" > 0
                                   ORDER BY point(x."lng" * cos(radians(x."lat")), x."lat") <-> point(bc.lng * cos(radians(bc.lat)), bc.lat) LIMIT 1) AS gp
           FROM bc WHERE bc.phi > bc.plo) n, generate_series(n.plo, n.phi - 1) i
     WHERE i % ${HISTORY_EVERY} = 0 AND n.gp IS NOT NULL`,
    [org, campaign],
  );
  const agents = (await client.query<{ id: string }>(
    `INSERT INTO "User" ("id", "organisationId", "email", "name", "role", "passwordHash", "updatedAt")
     SELECT gen_random_uuid(), $1, 'matching' || i || '@banc.fr', 'Agent ' || i, 'agent', 'x', now() FROM generate_series(1, $2) i RETURNING "id"`,
    [org, o.bookers + Math.max(o.agents, o.proposers)])).rows.map((r) => ({ id: r.id, organisationId: org }));
  const counts = (await client.query(
    `SELECT (SELECT count(*) FROM "Gp" WHERE "teamId" IS NULL)::int AS solo, (SELECT count(*) FROM "Gp" WHERE "teamId" IS NOT NULL)::int AS members,
            (SELECT count(*) FROM "Team")::int AS teams, (SELECT count(*) FROM "Patient")::int AS patients,
            (SELECT round(100.0 * avg("ald"::int)) FROM "Patient")::int AS "aldPct",
            (SELECT count(*) FROM "Gp" WHERE "teamId" IS NULL AND "acceptsNew" AND "capacity" > 0)::int AS "openGps",
            (SELECT count(*) FROM "Team" WHERE "acceptsNew" AND "capacity" > 0)::int AS "openTeams",
            (SELECT count(*) FROM "Orientation")::int AS "history",
            (SELECT coalesce(sum("capacity"), 0) FROM "Gp" WHERE "teamId" IS NULL AND "acceptsNew")::int + (SELECT coalesce(sum("capacity"), 0) FROM "Team" WHERE "acceptsNew")::int AS places`)).rows[0];
  const hot = HOT_CITIES.map((code) => {
    const k = communes.findIndex((c) => c.inseeCode === code);
    return { code, lo: p.lo[k], hi: p.hi[k] };
  }).filter((h) => h.hi > h.lo);
  await client.query("DROP TABLE bc");
  await client.query("VACUUM ANALYZE");
  return { org, campaign, agents, counts, hot };
}

/** One phase's figures. */
class PhaseStats {
  inHand = new Samples();
  withWait = new Samples();
  proposals = 0;
  emptyProposals = 0;
  candidatesShown = 0;
  /** Paced phase: arrivals dropped because every agent was still busy (none expected). */
  dropped = 0;
  booking = { booked: 0, noPlace: 0, noCandidate: 0, alreadyOriented: 0, busyPatient: 0, other: 0 };
  otherErrors = new Map<string, number>();
  seconds = 0;

  summary() {
    const hand = this.inHand.sorted();
    const wait = this.withWait.sorted();
    return {
      seconds: this.seconds, proposals: this.proposals, proposalsPerSecond: this.proposals / this.seconds, emptyProposals: this.emptyProposals,
      meanCandidates: this.proposals ? this.candidatesShown / this.proposals : NaN, dropped: this.dropped,
      p50: percentile(hand, 50), p95: percentile(hand, 95), p99: percentile(hand, 99), max: hand.length ? hand[hand.length - 1] : NaN,
      waitP50: percentile(wait, 50), waitP95: percentile(wait, 95), waitP99: percentile(wait, 99), waitMax: wait.length ? wait[wait.length - 1] : NaN,
      booking: this.booking, otherErrors: Object.fromEntries(this.otherErrors), bookingsPerSecond: this.booking.booked / this.seconds,
    };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// As after a claim: the agent holds the patient (the dialer's lease); released afterwards.
const HOLD = `UPDATE "Enrolment" SET "dialState" = 'held', "heldBy" = $2, "heldUntil" = now() + interval '5 minutes' WHERE "id" = $1 AND "dialState" = 'waiting'`;
const RELEASE = `UPDATE "Enrolment" SET "dialState" = 'waiting', "heldBy" = NULL, "heldUntil" = NULL WHERE "id" = $1 AND "heldBy" = $2`;
// A booker books during the call, as the console does (bookOrientation refuses a booking without one): the hold opens an
// answered call, the release gives it its outcome.
const HOLD_IN_CALL = `WITH h AS (${HOLD} RETURNING "id", "campaignId", "attempts")
  INSERT INTO "CallAttempt" ("id", "enrolmentId", "campaignId", "organisationId", "agentId", "attemptNumber", "phone", "provider", "callStatus", "answeredAt")
  SELECT gen_random_uuid(), h."id", h."campaignId", $3, $2, h."attempts" + 1, '+33612345678', 'simulator', 'answered', now() FROM h`;
const END_CALL = `UPDATE "CallAttempt" SET "outcome" = 'reached', "outcomeAt" = now(), "outcomeBy" = $2 WHERE "enrolmentId" = $1 AND "agentId" = $2 AND "outcome" IS NULL`;

export async function runMatchingBench(o: MatchingBenchOptions) {
  const loadBefore = loadavg();
  await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);
  const url = `${PG}/${DB}`;
  await runMigrations("deploy", url, undefined, true);
  process.env.DATABASE_URL = url;
  const { findCandidates } = await import("../server/matching/findCandidates.ts");
  const { bookOrientation } = await import("../server/matching/bookOrientation.ts");
  const { storeCommunes } = await import("../server/geo/storeCommunes.ts");
  const { inTransaction } = await import("../server/pgPool.ts");
  const { AppError } = await import("../server/errors.ts");

  const pool = new pg.Pool({ connectionString: url, max: o.connections });
  const setup = await pool.connect();
  await storeCommunes(setup); // as `npm start` does: the patient's point comes from the Commune table
  const t0 = performance.now();
  const { org, agents, counts, hot } = await load(setup, o);
  const loadSeconds = (performance.now() - t0) / 1000;
  setup.release();
  console.log(`  chargé en ${loadSeconds.toFixed(1)} s : ${JSON.stringify(counts)}`);
  const bookers = agents.slice(0, o.bookers);
  const proposerAgents = agents.slice(o.bookers);

  const randomPatient = () => Math.floor(Math.random() * o.patients);
  const bookerPatient = () => {
    if (hot.length && Math.random() < HOT_SHARE) {
      const h = hot[Math.floor(Math.random() * hot.length)];
      return h.lo + Math.floor(Math.random() * (h.hi - h.lo));
    }
    return randomPatient();
  };

  let rss = process.memoryUsage().rss;
  const rssTimer = setInterval(() => { rss = Math.max(rss, process.memoryUsage().rss); }, 500);
  const paced = new PhaseStats();
  const saturated = new PhaseStats();
  // Timeline: warm-up (paced arrivals and the storm, not counted), paced phase, saturated phase; the storm throughout.
  const t = performance.now();
  const pacedStart = t + WARMUP_SECONDS * 1000;
  const pacedEnd = pacedStart + o.seconds * 1000;
  const end = pacedEnd + o.saturatedSeconds * 1000;
  paced.seconds = o.seconds;
  saturated.seconds = o.saturatedSeconds;
  const phaseAt = (now: number) => (now < pacedStart ? null : now < pacedEnd ? paced : now < end ? saturated : null);

  /** One agent's proposal, as the console asks it: hold a random patient (not timed), propose (timed), release. */
  const propose = async (agent: { id: string; organisationId: string }) => {
    let enrolmentId: string | undefined;
    for (let k = 0; k < 5 && !enrolmentId; k++) {
      const candidate = uuidOf("e", randomPatient());
      if ((await pool.query(HOLD, [candidate, agent.id])).rowCount) enrolmentId = candidate;
    }
    if (!enrolmentId) return;
    try {
      const a = performance.now();
      const c = await pool.connect();
      const b = performance.now();
      let n: number;
      try {
        n = (await findCandidates(c, { organisationId: agent.organisationId, heldBy: agent.id })).candidates.length;
      } finally {
        c.release();
      }
      const z = performance.now();
      const s = phaseAt(a);
      if (!s) return;
      s.inHand.push(z - b);
      s.withWait.push(z - a);
      s.proposals += 1;
      s.candidatesShown += n;
      if (n === 0) s.emptyProposals += 1;
    } finally {
      await pool.query(RELEASE, [enrolmentId, agent.id]);
    }
  };

  // Paced: Poisson arrivals at o.rate per second, each taken by a free agent (open loop: a slow answer does not delay the next arrival).
  const pacedProposals = async () => {
    const free = [...proposerAgents];
    const inFlight = new Set<Promise<void>>();
    let next = performance.now();
    while (next < pacedEnd) {
      next += (-Math.log(1 - Math.random()) * 1000) / o.rate;
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
      const agent = free.pop();
      if (!agent) {
        const s = phaseAt(performance.now());
        if (s) s.dropped += 1;
        continue;
      }
      const p: Promise<void> = propose(agent).finally(() => {
        free.push(agent);
        inFlight.delete(p);
      });
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  };

  // Saturated: o.proposers agents propose back to back.
  const saturatedProposer = async (agent: { id: string; organisationId: string }) => {
    while (performance.now() < pacedEnd) await sleep(20);
    while (performance.now() < end) await propose(agent);
  };

  // Paced phase: the bookers share one Poisson schedule of o.bookingRate a second (a booker late on it books at once).
  let nextBooking = performance.now();
  const bookingSlot = async () => {
    if (!o.bookingRate || performance.now() >= pacedEnd) return;
    nextBooking = Math.max(nextBooking, performance.now() - 1000) + (-Math.log(1 - Math.random()) * 1000) / o.bookingRate;
    const wait = Math.min(nextBooking, pacedEnd) - performance.now();
    if (wait > 0) await sleep(wait);
  };

  const booker = async (agent: { id: string; organisationId: string }) => {
    while (performance.now() < end) {
      await bookingSlot();
      const i = bookerPatient();
      const enrolmentId = uuidOf("e", i);
      const patientId = uuidOf("p", i);
      // The agent holds the patient, who agrees to share their identity (one transaction).
      const held = await inTransaction(async (c) => {
        const r = await c.query(HOLD_IN_CALL, [enrolmentId, agent.id, agent.organisationId]);
        if (!r.rowCount) return false;
        await c.query(
          `INSERT INTO "Consent" ("id", "organisationId", "patientId", "purpose", "granted", "channel", "recordedById", "recordedByLabel")
           VALUES (gen_random_uuid(), $1, $2, 'share_identity', true, 'phone', $3, 'banc')`, [agent.organisationId, patientId, agent.id]);
        return true;
      }, pool).catch(() => false);
      const s = phaseAt(performance.now());
      if (!held) {
        if (s) s.booking.busyPatient += 1;
        continue;
      }
      try {
        const c = await pool.connect();
        let first: Candidate | undefined;
        try {
          first = (await findCandidates(c, { organisationId: agent.organisationId, heldBy: agent.id })).candidates[0];
        } finally {
          c.release();
        }
        if (!first) {
          if (s) s.booking.noCandidate += 1;
          continue;
        }
        const outcome = await inTransaction((c) => bookOrientation(c, agent, { kind: first.kind, id: first.id }), pool).then(
          () => "booked",
          (e: unknown) => (e instanceof AppError ? e.code : String(e)),
        );
        if (!s) continue;
        if (outcome === "booked") s.booking.booked += 1;
        else if (outcome === "no_place_left") s.booking.noPlace += 1;
        else if (outcome === "already_oriented") s.booking.alreadyOriented += 1;
        else {
          s.booking.other += 1;
          s.otherErrors.set(outcome, (s.otherErrors.get(outcome) ?? 0) + 1);
        }
      } finally {
        await pool.query(END_CALL, [enrolmentId, agent.id]);
        await pool.query(RELEASE, [enrolmentId, agent.id]);
      }
    }
  };

  await Promise.all([
    pacedProposals(),
    ...(o.saturatedSeconds > 0 ? proposerAgents.slice(0, o.proposers).map((a) => saturatedProposer(a)) : []),
    ...bookers.map((a) => booker(a)),
  ]);
  const loadAfter = loadavg(); // before pgbench, which loads the machine itself
  clearInterval(rssTimer);

  // Rule 2, from the database: no holder past its capacity, "taken" equal to its live orientations, one live orientation a patient.
  const check = (await pool.query(
    `WITH live AS (SELECT "gpId", "teamId", "patientId" FROM "Orientation" WHERE "status" IN ('reserved', 'confirmed')),
          g AS (SELECT "gpId" AS id, count(*)::int AS n FROM live WHERE "gpId" IS NOT NULL GROUP BY 1),
          t AS (SELECT "teamId" AS id, count(*)::int AS n FROM live WHERE "teamId" IS NOT NULL GROUP BY 1)
     SELECT (SELECT count(*) FROM "Gp" WHERE "taken" > "capacity")::int + (SELECT count(*) FROM "Team" WHERE "taken" > "capacity")::int AS "overbooked",
            (SELECT count(*) FROM "Gp" x LEFT JOIN g ON g.id = x."id" WHERE x."taken" <> coalesce(g.n, 0))::int
              + (SELECT count(*) FROM "Team" x LEFT JOIN t ON t.id = x."id" WHERE x."taken" <> coalesce(t.n, 0))::int AS "miscounted",
            (SELECT count(*) FROM (SELECT "patientId" FROM live GROUP BY 1 HAVING count(*) > 1) d)::int AS "twiceOriented",
            (SELECT count(*) FROM live)::int AS "live",
            (SELECT count(*) FROM "Gp" WHERE "teamId" IS NULL AND "acceptsNew" AND "capacity" > 0 AND "taken" = "capacity")::int
              + (SELECT count(*) FROM "Team" WHERE "acceptsNew" AND "capacity" > 0 AND "taken" = "capacity")::int AS "full"`)).rows[0];
  await pool.end();

  // Baseline: pgbench select-only (one primary-key read a transaction), same connections, same server, same run.
  await admin(`DROP DATABASE IF EXISTS "${PGBENCH_DB}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${PGBENCH_DB}"`);
  const host = new URL(PG);
  const args = ["-h", host.hostname, "-p", host.port || "5432", "-U", host.username || "postgres"];
  execFileSync("pgbench", [...args, "-i", "-s", "10", "-q", PGBENCH_DB], { stdio: "ignore" });
  const out = spawnSync("pgbench", [...args, "-S", "-c", String(o.connections), "-j", "2", "-T", String(o.pgbenchSeconds), PGBENCH_DB], { encoding: "utf8" }).stdout;
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? NaN);
  await admin(`DROP DATABASE IF EXISTS "${PGBENCH_DB}" WITH (FORCE)`);
  if (!o.keep) await admin(`DROP DATABASE IF EXISTS "${DB}" WITH (FORCE)`);

  return {
    ...o, loadSeconds, counts, hotCities: hot.map((h) => `${h.code} (${(h.hi - h.lo).toLocaleString("en-US")} patients)`),
    paced: paced.summary(), saturated: o.saturatedSeconds > 0 ? saturated.summary() : null, pgbenchTps: tps,
    ...check as { overbooked: number; miscounted: number; twiceOriented: number; live: number; full: number },
    rssMb: Math.round(rss / 1048576), loadBefore, loadAfter,
  };
}

const arg = (args: string[], name: string, d: number) => {
  const env = process.env[`BENCH_${name.toUpperCase().replace(/-/g, "_")}`];
  return Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? env ?? d);
};

/** The BENCHMARKS.md section. */
export async function matchingSection(args: string[]): Promise<string> {
  const proposers = arg(args, "proposers", 8);
  const bookers = arg(args, "bookers", 4);
  const r = await runMatchingBench({
    seconds: arg(args, "seconds", 60), rate: arg(args, "rate", 20), agents: arg(args, "agents", 500), bookingRate: arg(args, "booking-rate", 100),
    saturatedSeconds: arg(args, "saturated-seconds", 30), proposers, bookers, connections: arg(args, "connections", proposers + bookers),
    patients: arg(args, "patients", 500_000), soloGps: arg(args, "gps", 54_000), teams: arg(args, "teams", 2_000),
    pgbenchSeconds: arg(args, "pgbench-seconds", 15), keep: args.includes("--keep"),
  });
  const f = (n: number, d = 1) => n.toLocaleString("en-US", { maximumFractionDigits: d });
  const ms = (n: number) => f(n, 2);
  const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(" / ");
  if (r.overbooked || r.miscounted || r.twiceOriented) process.exitCode = 1;
  const phases = [r.paced, ...(r.saturated ? [r.saturated] : [])];
  const row = (label: string, cell: (p: (typeof phases)[number]) => string) => `| ${label} | ${phases.map(cell).join(" | ")} |`;
  const sat = r.saturated;
  return `## Matching (\`npm run bench -- matching\`)

${r.counts.patients.toLocaleString("en-US")} enrolled patients (${r.counts.aldPct} % ALD) and ${(r.counts.solo + r.counts.members).toLocaleString("en-US")} GPs —
${r.counts.solo.toLocaleString("en-US")} solo and ${r.counts.teams.toLocaleString("en-US")} MSP teams of ${DOCTORS_PER_TEAM} — on real commune points weighted by population (GPs a few km
around them); ${r.counts.openGps.toLocaleString("en-US")} GPs and ${r.counts.openTeams.toLocaleString("en-US")} teams take new patients, ${r.counts.places.toLocaleString("en-US")} places in all
(loaded set-based in ${f(r.loadSeconds)} s); a drive under way: ${r.counts.history.toLocaleString("en-US")} patients (one in ${HISTORY_EVERY}) were proposed their nearest GP,
who declined or let it expire (excluded from their proposals). A proposal is what \`GET /agent/proposals\` runs: an agent holds a random patient (not timed), then
\`findCandidates\` for the patient they hold (timed: one statement), then releases them. Throughout, the storm: ${r.bookers} bookers, ${Math.round(HOT_SHARE * 100)} % of
the time in ${HOT_CITIES.length} dense cities, each hold a patient, record the \`share_identity\` consent, propose, book the first proposal with
\`bookOrientation\` and release the patient. ${r.connections} pooled connections. Two phases after ${WARMUP_SECONDS} s of warm-up:
- **paced** (the default's figure, ${r.seconds} s): proposals arrive at ${r.rate} a second (Poisson, open loop: a slow answer does not hold back the next
  arrival), each from a free agent among ${r.agents}; booking attempts at ${r.bookingRate ? `${r.bookingRate} a second (Poisson, shared by the bookers; some are refused: patient already oriented, no place left)` : "the bookers' pace, back to back"}.
  A national drive is hundreds of agents, each proposing at most once every few minutes: 500 agents once every 3 minutes
  is 2.8 proposals a second; ${r.rate} a second is ${f(r.rate / (500 / 180), 0)} times that, and gives enough samples for a p99.${r.bookingRate ? ` ${r.bookingRate} bookings a second is
  ${f(r.bookingRate * 3600, 0)} an hour, the drive's ${r.counts.places.toLocaleString("en-US")} places all taken in ${f(r.counts.places / (r.bookingRate * 60), 0)} minutes: a storm, yet a fixed one, so that a
  cheaper booking does not make it heavier (back to back, ${r.bookers} bookers alone fill the 2 cores: see the saturated phase).` : ""}${sat ? `
- **saturated** (${sat.seconds} s): ${r.proposers} agents propose back to back and the bookers book back to back; the 2 cores are full (the
  benchmark's Node process and PostgreSQL share them): it shows the cost of a proposal and of a booking, not a latency agents would see.` : ""}

Baseline: \`pgbench -S\` (select-only, scale 10), ${r.connections} clients, same PostgreSQL, ${r.pgbenchSeconds} s, same run.

| measure | paced${sat ? " | saturated" : ""} |
|---|---|${sat ? "---|" : ""}
${row("proposals / s", (p) => `${f(p.proposalsPerSecond)} (${f(p.meanCandidates)} candidates on average, ${p.emptyProposals} with none within the distance${p.dropped ? `, ${p.dropped} arrivals dropped: no free agent` : ""})`)}
${row("ratio proposals / pgbench select-only TPS", (p) => f(p.proposalsPerSecond / r.pgbenchTps, 4))}
${row("propose p50 / p95 / p99 / max, connection in hand (target p99 ≤ 5 ms)", (p) => `${ms(p.p50)} / ${ms(p.p95)} / **${ms(p.p99)}** / ${ms(p.max)} ms`)}
${row("propose p50 / p95 / p99 / max, including the wait for a pooled connection", (p) => `${ms(p.waitP50)} / ${ms(p.waitP95)} / ${ms(p.waitP99)} / ${ms(p.waitMax)} ms`)}
${row("bookings / s", (p) => `${f(p.bookingsPerSecond)} (${p.booking.booked} booked)`)}
${row("refused, no place left (another agent took the last place first)", (p) => String(p.booking.noPlace))}
${row("no candidate / patient already oriented / patient held elsewhere / other errors", (p) => `${p.booking.noCandidate} / ${p.booking.alreadyOriented} / ${p.booking.busyPatient} / ${p.booking.other}${p.booking.other ? ` ${JSON.stringify(p.otherErrors)}` : ""}`)}

| whole run | value |
|---|---|
| pgbench select-only TPS (baseline) | ${f(r.pgbenchTps)} |
| holders full at the end | ${r.full} |
| holders over capacity (overbooking) | ${r.overbooked} (must be 0) |
| holders whose \`taken\` ≠ their live orientations | ${r.miscounted} of ${r.counts.solo + r.counts.teams} (must be 0) |
| patients with more than one live orientation | ${r.twiceOriented} of ${r.live} oriented (must be 0) |
| peak RSS of the benchmark process | ${r.rssMb} MB |
| load average of the machine (1 / 5 / 15 min), before loading / at the end of the storm | ${la(r.loadBefore)} → ${la(r.loadAfter)} |`;
}

if (process.argv[1]?.endsWith("matching.ts")) {
  console.log(await matchingSection(process.argv.slice(2)));
}
