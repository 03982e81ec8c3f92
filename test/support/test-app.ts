import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import { createApp } from '../../src/app.factory';
import { AppOptions } from '../../src/app.options';
import { SecretsRefreshOptions } from '../../src/auth/secrets-refresh.module';
import { loadConfig } from '../../src/config/app-config';
import { ServiceSecrets } from '../../src/secrets/service-secrets';
import { HttpClient } from './http-client';
import { tracked } from './open-apps';
import { checkEveryResponseAgainstDocument } from './openapi-contract';
import { freePort } from './server-process';
import { createTestDatabase, TestDatabase } from './test-database';
import { testSecrets } from './test-secrets';

export interface TestAppOptions {
  /** Environment variables for the app's configuration (NODE_ENV defaults to `test`). */
  env?: Record<string, string>;
  secrets?: Partial<ServiceSecrets>;
  /** Share another app's database (e.g. two instances of the service). */
  database?: TestDatabase;
  logStream?: DestinationStream;
  /** Re-read secrets from this provider while the app runs, as main.ts does with SECRETS_PROVIDER=aws. */
  secretsRefresh?: SecretsRefreshOptions;
}

export interface TestApp {
  app: NestFastifyApplication;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * The real application (Fastify, guards, pipes, filters, database) on a fresh database, for HTTP
 * tests. Requests go through `app.inject()`, which runs Fastify's full request lifecycle, and
 * every answer is checked against openapi.json on its way back to the test.
 */
export function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  return tracked(
    withTestDatabase(options, async (appOptions) => {
      const app = await createApp(appOptions);
      checkEveryResponseAgainstDocument(app);
      return app;
    }),
  );
}

/**
 * Builds something of the app (the whole app, or only its services) from a test's options, on the
 * database given or on a fresh one; closing it drops the fresh one.
 */
export async function withTestDatabase<T extends { close(): Promise<void> }>(
  options: TestAppOptions,
  build: (appOptions: AppOptions) => Promise<T>,
): Promise<{ app: T; database: TestDatabase; close(): Promise<void> }> {
  const database = options.database ?? (await createTestDatabase());
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', REDIS_KEY_PREFIX: database.redisKeyPrefix, ...options.env });
  const app = await build({
    config,
    secrets: testSecrets(options.secrets),
    database: database.target,
    logStream: options.logStream,
    secretsRefresh: options.secretsRefresh,
  });
  return {
    app,
    database,
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}

/** A test app on a real loopback socket, with a client for it: `close()` closes both. */
export interface LoopbackTestApp extends TestApp {
  http: HttpClient;
}

/**
 * The real application on a real loopback socket, for tests whose point is what arrives over real
 * HTTP (the peer address, headers as a client sends them).
 */
export async function startTestAppOnLoopback(options: TestAppOptions = {}): Promise<LoopbackTestApp> {
  const testApp = await startTestApp(options);
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const http = new HttpClient((testApp.app.getHttpServer().address() as AddressInfo).port);
  return {
    ...testApp,
    http,
    close: async () => {
      http.close();
      await testApp.close();
    },
  };
}

/** A test app on a loopback socket whose issuer (PUBLIC_URL) is its own origin. */
export interface IssuerTestApp extends TestApp {
  origin: string;
}

/**
 * The real application on a real loopback socket, its PUBLIC_URL the very origin it listens on: for OAuth
 * clients, a browser's page included, that check the issuer is where they found it (RFC 8414 §3.3).
 */
export async function startTestAppAsIssuer(options: TestAppOptions = {}): Promise<IssuerTestApp> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const testApp = await startTestApp({ ...options, env: { ...options.env, PUBLIC_URL: origin } });
  await testApp.app.listen(port, '127.0.0.1');
  return { ...testApp, origin };
}
