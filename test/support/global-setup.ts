import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source.options';
import { ENTITIES } from '../../src/entities';
import { DATABASES_DIR_VARIABLE, TEMPLATE_NAME } from './test-database';

/**
 * Once per run, before any test file (jest's globalSetup): the template every embedded test database
 * is a copy of (see createTestDatabase). One PGlite database, migrated by the app's own options
 * (entities, migrations, PGlite driver), in RAM-backed /dev/shm where the machine has it: Postgres
 * syncs its files at every commit, which costs wall time on a real disk.
 */
export default async function globalSetup(): Promise<void> {
  // The service suite's test databases are on Postgres.
  if (process.env.DATABASE_URL) return;
  const databasesDir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'orders-tests-'));
  const dataSource = new DataSource(await dataSourceOptions({ pgliteDir: join(databasesDir, TEMPLATE_NAME) }, ENTITIES));
  await dataSource.initialize();
  await dataSource.destroy();
  // Set in jest's own process, it reaches every worker, which jest starts after this.
  process.env[DATABASES_DIR_VARIABLE] = databasesDir;
}
