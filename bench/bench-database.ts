import { randomBytes } from 'node:crypto';
import { withClient } from '../test/support/test-database';

/** The benchmark's own database on the given Postgres server: created fresh, dropped at the end. */
export interface BenchDatabase {
  name: string;
  /** The URL the service gets (in its secret): the server URL with this database's name. */
  url: string;
  /** Runs one statement on the bench database (e.g. promoting the admin). */
  query(sql: string, params?: unknown[]): Promise<unknown[]>;
  drop(): Promise<void>;
}

export async function createBenchDatabase(serverUrl: string): Promise<BenchDatabase> {
  const name = `orders_bench_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    query: (sql, params = []) => withClient(url.toString(), async (client) => (await client.query<Record<string, unknown>>(sql, params)).rows),
    drop: () => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
