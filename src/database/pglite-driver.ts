import type { PGlite, Results } from '@electric-sql/pglite';

type ConnectCallback = (error: Error | null, client: PGliteClient | null, release: (error?: Error) => void) => void;

interface PGliteClient {
  query(sql: string, params?: unknown[]): Promise<Results>;
  on(): void;
  removeListener(): void;
}

/**
 * A `pg`-compatible driver for TypeORM over one embedded PGlite database.
 *
 * Why not `typeorm-pglite`: PGlite is a single connection, and that package hands the same
 * connection to every caller at once, so two concurrent requests would share one transaction
 * (one request's ROLLBACK would undo the other's order). Here each `connect()` takes the
 * connection exclusively until it is released, which gives every TypeORM QueryRunner, and so
 * every transaction, the isolation it has on a real Postgres pool.
 */
export function pgliteDriver(db: PGlite): { Pool: new () => unknown } {
  let queue: Promise<void> = Promise.resolve();

  const client: PGliteClient = {
    // With parameters PGlite runs one extended-protocol statement; without, `exec` accepts
    // several statements (migrations), and TypeORM expects the last statement's result.
    query: async (sql, params) => (params && params.length > 0 ? db.query(sql, params) : lastResult(await db.exec(sql))),
    on: () => undefined,
    removeListener: () => undefined,
  };

  class PGlitePool {
    connect(callback: ConnectCallback): void {
      // FIFO lock: the next caller waits until the previous one releases the connection.
      const previous = queue;
      let release!: () => void;
      queue = new Promise<void>((resolve) => (release = resolve));
      void previous.then(() => callback(null, client, () => release()));
    }

    on(): void {}

    end(callback: (error: Error | null) => void): void {
      void queue.then(() => db.close()).then(() => callback(null), callback);
    }
  }

  return { Pool: PGlitePool };
}

function lastResult(results: Results[]): Results {
  return results[results.length - 1] ?? { rows: [], fields: [] };
}
