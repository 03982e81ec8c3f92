// First, before anything that needs Node 24 is loaded.
import './node-version';
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { createApp } from './app.factory';
import { drainAndClose } from './common/http/drain';
import { prettyLogStream, wantsPrettyLogs } from './common/logging/pretty-log-stream';
import { loadConfig } from './config/app-config';
import { databaseTarget } from './database/data-source.options';
import { DemoProductsSeeder } from './products/demo-products.seeder';
import { readSecrets, secretsProviderFor } from './secrets/load-secrets';
import { startupBanner } from './startup-banner';
import { demoCredentialsFile, DemoAccountsSeeder } from './users/demo-accounts.seeder';

/**
 * Bootstrap: configuration → secrets → app → listen. Any failure stops the boot with exit 1 and a
 * message naming the setting or secret field, never a value. Production takes secrets only from AWS.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const secretsProvider = secretsProviderFor(config);
  const secrets = await readSecrets(secretsProvider, config);
  const database = databaseTarget(config, secrets);
  // The AWS secret is re-read while running, so a rotated signing key needs no restart; local secrets never rotate.
  const secretsRefresh = config.SECRETS_PROVIDER === 'aws' ? { provider: secretsProvider, intervalMs: config.SECRETS_REFRESH_SECONDS * 1000 } : undefined;
  // A person at a terminal reads one line per request; production and pipes keep JSON (LOG_FORMAT decides otherwise).
  const pretty = wantsPrettyLogs({ format: config.LOG_FORMAT, production: config.isProduction, terminal: process.stdout.isTTY === true });
  const app = await createApp({ config, secrets, database, secretsRefresh, logStream: pretty ? prettyLogStream() : undefined });
  let credentials: string | undefined;
  if ('pgliteDir' in database) {
    await app.get(DemoProductsSeeder).seedIfEmpty();
    await app.get(DemoAccountsSeeder).seedIfEmpty(config.DATA_DIR);
    credentials = demoCredentialsFile(config.DATA_DIR);
  }

  // Graceful shutdown: readiness 503, stop accepting, answer what reaches an open connection
  // (with `Connection: close`), close the database, exit 0 (see drainAndClose).
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      drainAndClose(app).then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
  await app.listen({ port: config.PORT, host: config.HOST });
  const url = `${config.TLS_CERT_FILE ? 'https' : 'http'}://localhost:${config.PORT}`;
  // The file is written once, with the accounts; a database from before it, or a file deleted since, has none.
  console.log(startupBanner({ url, docs: !config.isProduction, demoCredentialsFile: credentials && existsSync(credentials) ? credentials : undefined }));
}

main().catch((error: unknown) => {
  // Boot errors are written without a stack: configuration and secrets errors name the field, never a value.
  console.error(`Boot failed: ${error instanceof Error ? error.message : 'unknown error'}`);
  process.exit(1);
});
