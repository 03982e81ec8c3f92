import 'reflect-metadata';
import { createApp } from './app.factory';
import { loadConfig } from './config/app-config';
import { databaseTarget } from './database/data-source.options';
import { DemoSeeder } from './database/demo-seeder';
import { loadSecrets } from './secrets/load-secrets';
import { DemoAccountsSeeder } from './users/demo-accounts.seeder';

/** Bootstrap: configuration → secrets → app → listen. Any failure stops the boot with exit 1. */
async function main(): Promise<void> {
  const config = loadConfig();
  const secrets = await loadSecrets(config);
  const database = databaseTarget(config, secrets);
  const app = await createApp({ config, secrets, database });
  if ('pgliteDir' in database) {
    await app.get(DemoSeeder).seedIfEmpty();
    await app.get(DemoAccountsSeeder).seedIfEmpty(config.DATA_DIR);
  }

  // Graceful shutdown: stop accepting, let in-flight requests finish, close the database, exit 0.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      app.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  await app.listen({ port: config.PORT, host: config.HOST });
  console.log(`Orders API listening on http://localhost:${config.PORT} (docs: ${config.isProduction ? 'off' : '/docs'})`);
}

main().catch((error: unknown) => {
  // Boot errors are written without a stack: configuration and secrets errors name the field, never a value.
  console.error(`Boot failed: ${error instanceof Error ? error.message : 'unknown error'}`);
  process.exit(1);
});
