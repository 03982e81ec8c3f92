import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DatabaseTarget } from '../../src/database/data-source.options';

export interface TestDatabase {
  target: DatabaseTarget;
  /** Redis key prefix of the apps on this database: instances of one service share it, other tests do not. */
  redisKeyPrefix: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: an in-memory PGlite by default, or, when
 * DATABASE_URL is set (the service suite), a new database on that Postgres server, dropped after.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  const name = `orders_test_${randomBytes(6).toString('hex')}`;
  const redisKeyPrefix = `${name}:`;
  if (!serverUrl) return { target: { pgliteDir: 'memory' }, redisKeyPrefix, drop: async () => undefined };
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    target: { postgresUrl: url.toString() },
    redisKeyPrefix,
    drop: () => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** Runs `work` on one short-lived connection to `url`, always closing it. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
