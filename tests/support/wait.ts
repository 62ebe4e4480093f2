import type pg from 'pg';

/**
 * Polls `check` until it holds; fails naming `what` after `timeoutMs`. For something that must
 * happen: a test that something does NOT happen awaits a signal or marker instead of a pause.
 */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const LOCK_WAITERS = "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";

/** Waits until `count` sessions of the pool's database are queued on a lock (a row or advisory lock): the calls meant to wait really do. */
export async function lockWaiters(pool: pg.Pool, count: number): Promise<void> {
  await until(`${count} sessions waiting for a lock`, async () => ((await pool.query<{ n: number }>(LOCK_WAITERS)).rows[0]?.n ?? 0) >= count);
}

/**
 * A meeting of `parties` that run in parallel: join() gives each party its arrive(), which waits
 * until every party has arrived once (later calls pass at once). A party arrives where it must
 * overlap the others (its first send), and again when it stops, so none waits for one that ended.
 */
export function meeting(parties: number): () => () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const everyone = new Promise<void>((resolve) => (open = resolve));
  return () => {
    let here = false;
    return () => {
      if (!here && ++arrived === parties) open();
      here = true;
      return everyone;
    };
  };
}
