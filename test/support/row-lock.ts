import type { Pool } from 'pg';

/** A product row locked by the test, as a long transaction elsewhere would hold it. */
export interface RowLock {
  /** How many transactions wait behind the lock, directly or queued behind one another. */
  waiting(): Promise<number>;
  /** Commits and lets them go; calling it again does nothing (cleanup may call it after the test did). */
  release(): Promise<void>;
}

/**
 * Takes a product's row lock (`SELECT … FOR UPDATE`) in a transaction of the test's own: an order
 * for that product then waits inside its transaction, in flight, until the test releases it.
 */
export async function lockProductRow(db: Pool, productId: string): Promise<RowLock> {
  const client = await db.connect();
  // A test that fails while holding the lock leaves this client checked out; the cleanup's
  // DROP DATABASE … WITH (FORCE) then ends its connection. That is expected: without a listener the
  // error would surface as an unhandled one and hide the test's real failure.
  client.on('error', () => undefined);
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM products WHERE id = $1 FOR UPDATE', [productId]);
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  let held = true;
  return {
    waiting: async () => {
      const blocked = await db.query<{ count: number }>(
        `WITH RECURSIVE blocked(pid) AS (
           SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))
           UNION SELECT a.pid FROM pg_stat_activity a JOIN blocked b ON b.pid = ANY(pg_blocking_pids(a.pid)))
         SELECT count(*)::int AS count FROM blocked`,
        [rows[0].pid],
      );
      return blocked.rows[0].count;
    },
    release: async () => {
      if (!held) return;
      held = false;
      await client.query('COMMIT');
      client.release();
    },
  };
}
