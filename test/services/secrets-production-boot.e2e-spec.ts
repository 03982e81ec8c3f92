import { randomUUID } from 'node:crypto';
import { manyLoginsEnv } from '../support/auth';
import { FakeSecretsManager } from '../support/fake-secrets-manager';
import { decodeSegment, PRODUCTION_PUBLIC_URL } from '../support/forge-token';
import { SecretJson, secretJson, secretValuesOf } from '../support/secret-documents';
import { ServerProcess, startServerProcess } from '../support/server-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { until } from '../support/until';

/**
 * The production boot end to end: the built service (`dist/main.js`) as a real process with
 * NODE_ENV=production, every secret from a Secrets Manager endpoint (the local fake, read by the real
 * SDK) whose secret names this suite's Postgres (a fresh database) and Redis. Then a key rotation,
 * picked up by the running process on its SECRETS_REFRESH_SECONDS interval.
 */
describe('Production boot from Secrets Manager (dist/main.js, real Postgres and Redis)', () => {
  let database: TestDatabase;
  let fake: FakeSecretsManager;
  let server: ServerProcess;
  let secretA: SecretJson;
  let secretB: SecretJson;

  beforeAll(async () => {
    database = await createTestDatabase();
    if (!('postgresUrl' in database.target)) throw new Error('the service suite needs DATABASE_URL');
    const urls = { databaseUrl: database.target.postgresUrl, redisUrl: process.env.REDIS_URL! };
    [secretA, secretB] = [secretJson('kid-a', urls), secretJson('kid-b', urls)];
    fake = await FakeSecretsManager.start('orders-api/production');
    fake.setSecret('AWSCURRENT', JSON.stringify(secretA));
    server = await startServerProcess({
      NODE_ENV: 'production',
      PUBLIC_URL: PRODUCTION_PUBLIC_URL,
      SECRETS_PROVIDER: 'aws',
      AWS_SECRET_ID: fake.secretName,
      ...fake.clientEnv,
      SECRETS_REFRESH_SECONDS: '1',
      REDIS_KEY_PREFIX: database.redisKeyPrefix,
      // The JWKS is polled while waiting for the rotation: more requests than one client IP may make by default.
      ...manyLoginsEnv(),
      // The test stands in for the TLS-terminating proxy: it alone may say a request came over HTTPS.
      TRUSTED_PROXIES: '127.0.0.1',
    });
  });

  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exited;
    await fake.close();
    await database.drop();
  });

  /** A request to the process; `overHttps` adds the X-Forwarded-Proto a TLS-terminating proxy sets. */
  function call(path: string, { overHttps = true, token, body }: { overHttps?: boolean; token?: string; body?: object } = {}): Promise<Response> {
    const headers: Record<string, string> = {
      ...(overHttps ? { 'x-forwarded-proto': 'https' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    };
    return fetch(`http://127.0.0.1:${server.port}${path}`, { method: body ? 'POST' : 'GET', headers, body: body && JSON.stringify(body) });
  }
  async function publishedKids(): Promise<string[]> {
    const response = await call('/.well-known/jwks.json');
    expect(response.status).toBe(200);
    return ((await response.json()) as { keys: Array<{ kid: string }> }).keys.map((key) => key.kid);
  }
  const kidOf = (token: string) => decodeSegment(token, 0).kid;

  it('boots in production mode: health answers over plain HTTP, everything else only over HTTPS', async () => {
    expect((await call('/health/live', { overHttps: false })).status).toBe(200);
    // Ready means the database and Redis named by the secret answer.
    expect((await call('/health/ready', { overHttps: false })).status).toBe(200);
    expect((await call('/.well-known/jwks.json', { overHttps: false })).status).toBe(403);

    const jwks = await call('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(await publishedKids()).toEqual(['kid-a']);
  });

  it('picks up a rotated signing key without a restart; tokens signed with the previous key keep working', async () => {
    const credentials = { email: `rotation-${randomUUID()}@example.test`, password: 'a long enough password' };
    expect((await call('/api/v1/auth/register', { body: { ...credentials, name: 'Rotation' } })).status).toBe(202);
    const login = async () => ((await (await call('/api/v1/auth/login', { body: credentials })).json()) as { accessToken: string }).accessToken;
    const tokenA = await login();
    expect(kidOf(tokenA)).toBe('kid-a');

    fake.rotate(JSON.stringify(secretB));
    await until(async () => (await publishedKids()).join() === 'kid-b,kid-a', 10_000);

    expect(kidOf(await login())).toBe('kid-b');
    expect((await call('/api/v1/users/me', { token: tokenA })).status).toBe(200);
  });

  it('printed no secret value, and no restart warning: the database and Redis URLs did not change', () => {
    for (const value of [...secretValuesOf(secretA), ...secretValuesOf(secretB)]) expect(server.output()).not.toContain(value);
    expect(server.output()).not.toContain('restart the service');
  });
});
