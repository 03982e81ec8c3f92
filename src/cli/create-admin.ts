// First, before anything that needs Node 24 is loaded.
import '../node-version';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createInterface } from 'node:readline';
import { AppModule } from '../app.module';
import { AccountsService } from '../auth/accounts.service';
import { loadConfig } from '../config/app-config';
import { databaseTarget } from '../database/data-source.options';
import { loadSecrets } from '../secrets/load-secrets';
import { emailArgument, passwordFromLine } from './create-admin.input';

/**
 * `npm run create-admin -- --email <email>`: makes an admin, or promotes an existing account, with a
 * password read from standard input, never from the command line (where `ps` and the shell history
 * would show it). Same configuration, secrets and database as `npm start`; in embedded mode, run it
 * while the service is stopped (the embedded database has one owner).
 */
async function main(): Promise<void> {
  const email = emailArgument(process.argv.slice(2));
  const password = passwordFromLine(await readLine('Password: '));
  const config = loadConfig();
  const secrets = await loadSecrets(config);
  const app = await NestFactory.createApplicationContext(AppModule.register({ config, secrets, database: databaseTarget(config, secrets) }), { logger: false });
  try {
    const outcome = await app.get(AccountsService).createOrPromoteAdmin(email, password);
    console.log(`Admin account ${email} ${outcome}.`);
  } finally {
    await app.close();
  }
}

/** The first line of standard input; the prompt goes to stderr, and only when a person is typing. */
async function readLine(prompt: string): Promise<string | undefined> {
  if (process.stdin.isTTY) process.stderr.write(prompt);
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return undefined;
}

main().catch((error: unknown) => {
  // The message only: configuration and secrets errors name the field, never a value.
  console.error(`create-admin failed: ${error instanceof Error ? error.message : 'unknown error'}`);
  process.exit(1);
});
