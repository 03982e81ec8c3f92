// First, before anything that needs Node 24 is loaded.
import '../node-version';
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../database/data-source.options';
import { grantServiceRole } from '../database/service-role';
import { ENTITIES } from '../entities';

/**
 * `npm run migrate` (in the image: `node dist/cli/migrate.js`): applies pending migrations as the
 * database's owner role, then grants the service's role what it needs and no more
 * (src/database/service-role.ts). Run it before the service starts, as a one-off job whose
 * environment comes from your secrets store; the service itself never holds the owner's URL.
 *   MIGRATION_DATABASE_URL  the owner role's Postgres URL
 *   DATABASE_SERVICE_ROLE   the role the service connects as (the user in its databaseUrl)
 */
async function main(): Promise<void> {
  const ownerUrl = required('MIGRATION_DATABASE_URL');
  const serviceRole = required('DATABASE_SERVICE_ROLE');
  // The service as owner could alter the audit table, which is what these two roles are for.
  if (decodeURIComponent(new URL(ownerUrl).username) === serviceRole) throw new Error('DATABASE_SERVICE_ROLE must not be the role of MIGRATION_DATABASE_URL');
  // migrationsRun: initializing applies every pending migration, each in its own transaction.
  const dataSource = new DataSource(await dataSourceOptions({ postgresUrl: ownerUrl }, ENTITIES));
  await dataSource.initialize();
  try {
    await grantServiceRole(dataSource, serviceRole);
    const applied = await dataSource.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM migrations');
    console.log(`Database migrated (${applied[0].n} migrations applied); role ${serviceRole} granted.`);
  } finally {
    await dataSource.destroy();
  }
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

main().catch((error: unknown) => {
  // The message only, never the URL: it holds the owner's password.
  console.error(`migrate failed: ${error instanceof Error ? error.message : 'unknown error'}`);
  process.exit(1);
});
