import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ServiceSecrets } from '../secrets/service-secrets';
import { MIGRATIONS } from './migrations';
import { pgliteDriver } from './pglite-driver';
import { QueryTimeoutClient } from './query-timeout-client';

type EntityList = NonNullable<DataSourceOptions['entities']>;

/** Where the data lives: a real Postgres (DATABASE_URL), or the embedded PGlite (on disk or in memory). */
export type DatabaseTarget = { postgresUrl: string } | { pgliteDir: string /* a folder, or 'memory' */ };

/** The database of a running service (main.ts, the CLI): the secrets' Postgres, else PGlite under DATA_DIR. */
export function databaseTarget(config: AppConfig, secrets: ServiceSecrets): DatabaseTarget {
  return secrets.databaseUrl ? { postgresUrl: secrets.databaseUrl } : { pgliteDir: config.DATA_DIR };
}

/**
 * A request that needs the database is answered within about 5 s whatever the database does: it
 * answers `503` with Retry-After rather than hold the request (and the client) for longer.
 */
const POSTGRES_POOL = {
  max: 10,
  Client: QueryTimeoutClient,
  // Connecting, and waiting for a free connection when all are busy.
  connectionTimeoutMillis: 3_000,
  // Postgres cancels a statement that runs longer (a lock wait, a slow plan) with a clean error...
  statement_timeout: 4_000,
  // ...and the client stops waiting when no answer comes at all (a network dropping packets).
  query_timeout: 4_500,
  // Postgres ends a transaction its client left open and silent (a vanished instance), freeing its row locks.
  idle_in_transaction_session_timeout: 10_000,
  // TCP keepalive: a pooled connection whose peer has gone is found dead instead of handed out.
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
};

const common = {
  type: 'postgres',
  migrations: MIGRATIONS,
  migrationsRun: true,
  // The schema changes only through migrations, never from entity metadata.
  synchronize: false,
  // PGlite has no extensions; gen_random_uuid() is built into Postgres 13+ anyway.
  installExtensions: false,
  uuidExtension: 'pgcrypto',
  logging: false,
} as const;

/** `entities`: every table's entity class (src/entities.ts, ENTITIES): each feature owns its tables. */
export async function dataSourceOptions(target: DatabaseTarget, entities: EntityList): Promise<DataSourceOptions> {
  if ('postgresUrl' in target) {
    return {
      ...common,
      entities,
      url: target.postgresUrl,
      extra: POSTGRES_POOL,
    };
  }
  const db = await openPGlite(target.pgliteDir);
  return { ...common, entities, driver: pgliteDriver(db) };
}

async function openPGlite(dir: string): Promise<PGlite> {
  if (dir === 'memory') return PGlite.create();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return PGlite.create(join(dir, 'pgdata'));
}
