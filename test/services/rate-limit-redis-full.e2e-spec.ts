import { Redis } from 'ioredis';
import { usageWritten, withApiKey } from '../support/api-keys';
import { bearer, expectInvalidCredentials, login, manyLoginsEnv } from '../support/auth';
import { Caller, customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';
import { OwnRedisServer } from '../throttling/own-redis-server';

/**
 * A Redis that is full (maxmemory reached under `noeviction`) still answers reads but refuses writes. Authenticated
 * requests then go on as during an outage of the counters: the revocation check (a read) still answers, so a
 * revoked token is still refused, and the general limit, which cannot count, fails open (SECURITY.md).
 */
describe('Authenticated requests when Redis is full', () => {
  let redis: OwnRedisServer;
  let admin: Redis;
  let t: TestApp;
  let alice: Caller;
  let keyHeaders: Record<string, string>;
  let loggedOut: Record<string, string>;

  beforeAll(async () => {
    redis = await OwnRedisServer.start();
    admin = new Redis(redis.url);
    t = await startTestApp({ env: manyLoginsEnv(), secrets: { redisUrl: redis.url } });
    alice = await customer(t.app);
    keyHeaders = (await withApiKey(t.app, alice)).headers;
    loggedOut = bearer((await login(t.app, alice)).accessToken);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: loggedOut })).statusCode).toBe(204);
  });
  afterAll(async () => {
    await usageWritten(t.app);
    await t.close();
    await admin.quit();
    await redis.stop();
  });

  it('are served without RateLimit fields, with an access token and with an API key; a revoked token is still refused', async () => {
    const read = (headers: Record<string, string>) => t.app.inject({ url: '/api/v1/users/me', headers });
    expect((await read(alice.headers)).headers).toHaveProperty('ratelimit');
    // Below what Redis already holds: every write is refused from now on.
    await admin.config('SET', 'maxmemory', '100kb');
    try {
      for (const headers of [alice.headers, keyHeaders]) {
        const response = await read(headers);
        expect(response.statusCode).toBe(200);
        expect(response.headers).not.toHaveProperty('ratelimit');
      }
      expectInvalidCredentials(await read(loggedOut));
    } finally {
      await admin.config('SET', 'maxmemory', '0');
    }
  });
});
