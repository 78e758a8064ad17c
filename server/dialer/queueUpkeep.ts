// The head of a campaign's queue is where every claim takes its patient from. A claimed enrolment
// leaves the partial index Enrolment_queue (it is no longer 'waiting'), but its old entry stays in
// the index until VACUUM removes it: the next claims step over these dead entries, all at the head,
// and at drive speed they pile up faster than autovacuum (at most once a minute) clears them
// (`npm run bench -- dialer`, 500 agents: a claim read ~350 pages after 20 s without this upkeep,
// ~115 with it). The dialer's worker therefore vacuums Enrolment itself once enough rows are dead
// (decision 015).
import type pg from "pg";

/** Dead Enrolment rows (each one a dead entry at a queue's head) worth a VACUUM. */
export const QUEUE_UPKEEP_DEAD_ROWS = 2_000;

/**
 * VACUUMs Enrolment when at least `threshold` of its rows are dead (PostgreSQL's own count, a second
 * or so behind). Outside any transaction (VACUUM cannot run in one); SKIP_LOCKED: never waits behind
 * a lock (a migration, another worker's VACUUM). Returns the dead rows found, or 0 when it did nothing.
 */
export async function vacuumQueueIfDead(client: pg.PoolClient, threshold = QUEUE_UPKEEP_DEAD_ROWS): Promise<number> {
  const { rows: [r] } = await client.query<{ dead: string }>(
    `SELECT n_dead_tup AS dead FROM pg_stat_user_tables WHERE relid = '"Enrolment"'::regclass`);
  const dead = Number(r?.dead ?? 0);
  if (dead < threshold) return 0;
  await client.query(`VACUUM (SKIP_LOCKED) "Enrolment"`);
  return dead;
}
