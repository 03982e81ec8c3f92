import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ServiceSecrets } from '../secrets/service-secrets';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { pgliteDriver } from './pglite-driver';

/** Where the data lives: a real Postgres (DATABASE_URL), or the embedded PGlite (on disk or in memory). */
export type DatabaseTarget = { postgresUrl: string } | { pgliteDir: string | 'memory' };

/** The database of a running service (main.ts, the CLI): the secrets' Postgres, else PGlite under DATA_DIR. */
export function databaseTarget(config: AppConfig, secrets: ServiceSecrets): DatabaseTarget {
  return secrets.databaseUrl ? { postgresUrl: secrets.databaseUrl } : { pgliteDir: config.DATA_DIR };
}

const common = {
  type: 'postgres',
  entities: ENTITIES,
  migrations: MIGRATIONS,
  migrationsRun: true,
  // The schema changes only through migrations, never from entity metadata.
  synchronize: false,
  // PGlite has no extensions; gen_random_uuid() is built into Postgres 13+ anyway.
  installExtensions: false,
  uuidExtension: 'pgcrypto',
  logging: false,
} as const;

export async function dataSourceOptions(target: DatabaseTarget): Promise<DataSourceOptions> {
  if ('postgresUrl' in target) {
    return {
      ...common,
      url: target.postgresUrl,
      // A query may not hang a request: fail it and let the client retry (API.md: never a hang).
      extra: { max: 10, connectionTimeoutMillis: 5000, statement_timeout: 10000, query_timeout: 12000 },
    };
  }
  const db = await openPGlite(target.pgliteDir);
  return { ...common, driver: pgliteDriver(db) };
}

async function openPGlite(dir: string): Promise<PGlite> {
  if (dir === 'memory') return PGlite.create();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return PGlite.create(join(dir, 'pgdata'));
}
