import { randomBytes } from 'node:crypto';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DatabaseTarget } from '../../src/database/data-source.options';

/** The run's directory of embedded databases (the template, and the copies of it): set by global-setup.ts. */
export const DATABASES_DIR_VARIABLE = 'ORDERS_TEST_DATABASES';
export const TEMPLATE_NAME = 'template';

export interface TestDatabase {
  target: DatabaseTarget;
  /** Redis key prefix of the apps on this database: instances of one service share it, other tests do not. */
  redisKeyPrefix: string;
  drop(): Promise<void>;
}

/**
 * A fresh database, migrated and empty, dropped after: a new database on the Postgres server of
 * DATABASE_URL when it is set (the service suite), else an embedded PGlite database. The embedded one
 * is a copy of the run's migrated template (global-setup.ts): a new PGlite database costs an initdb,
 * a second Postgres instance and seconds of CPU; copying the template takes milliseconds.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  const name = `orders_test_${randomBytes(6).toString('hex')}`;
  const redisKeyPrefix = `${name}:`;
  if (!serverUrl) {
    const pgliteDir = copyTemplate(name);
    return { target: { pgliteDir }, redisKeyPrefix, drop: async () => rmSync(pgliteDir, { recursive: true, force: true }) };
  }
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

function copyTemplate(name: string): string {
  const databasesDir = process.env[DATABASES_DIR_VARIABLE];
  if (!databasesDir) throw new Error(`${DATABASES_DIR_VARIABLE} is not set: run the tests with jest.config.js, whose globalSetup makes the template`);
  const dir = join(databasesDir, name);
  cpSync(join(databasesDir, TEMPLATE_NAME), dir, { recursive: true });
  return dir;
}
