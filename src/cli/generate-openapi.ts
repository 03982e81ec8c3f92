// First, before anything that needs Node 24 is loaded.
import '../node-version';
import 'reflect-metadata';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../app.factory';
import { loadConfig } from '../config/app-config';
import { buildOpenApiDocument, serializeOpenApiDocument } from '../common/openapi/openapi';

const OUTPUT = join(__dirname, '..', '..', 'openapi.json');

/**
 * `npm run openapi:generate`: writes the committed `openapi.json` from the routes themselves, so the
 * published inventory of the API is never written by hand (OWASP API9:2023). test/docs fails when
 * the file and the routes disagree.
 *
 * The app is built, never started: no port, no Postgres or Redis, an in-memory embedded database and
 * a throwaway signing key. Its configuration is fixed here rather than read from the environment,
 * so every machine writes the same file.
 */
async function main(): Promise<void> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const app = await createApp({
    config: loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent' }),
    secrets: { signingKeys: { current: { kid: 'openapi-generate', privateKey, publicKey } } },
    database: { pgliteDir: 'memory' },
  });
  try {
    writeFileSync(OUTPUT, serializeOpenApiDocument(buildOpenApiDocument(app)));
    console.log('Wrote openapi.json');
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(`openapi:generate failed: ${error instanceof Error ? error.message : 'unknown error'}`);
  process.exit(1);
});
