import { Redis } from 'ioredis';
import { TokenPair } from '../support/auth';
import { loginOverHttp, meOverHttp, registerOverHttp } from '../support/remote-auth';
import { runServerProcessToExit } from '../support/server-process';
import { ServiceDeployment, ServiceInstance } from '../support/service-deployment';
import { OwnRedisServer } from '../throttling/own-redis-server';

const ROUNDS = 20;

/**
 * Postgres is the authority on revocation; Redis is its fast copy. A Redis that loses its data while
 * the connection stays up (FLUSHDB, a failover to an empty replica) or that restarts empty must not
 * bring a logged-out token back, on either instance, and must not log anyone out who was not. The
 * test runs its own redis-server, so flushing it touches no other test.
 */
describe('Revocations when Redis loses its data (two instances, Postgres and Redis)', () => {
  let redisServer: OwnRedisServer;
  let redis: Redis;
  let deployment: ServiceDeployment;
  let instances: ServiceInstance[];

  beforeAll(async () => {
    redisServer = await OwnRedisServer.start();
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    deployment = await ServiceDeployment.create();
    const env = { RATE_LIMIT_AUTHENTICATED: '100000/60s', RATE_LIMIT_ANONYMOUS: '100000/60s', RATE_LIMIT_LOGIN_IP: '100000/900s' };
    instances = [await deployment.start({ env, redisUrl: redisServer.url }), await deployment.start({ env, redisUrl: redisServer.url })];
  }, 60_000);
  afterAll(async () => {
    await deployment?.close();
    redis?.disconnect();
    await redisServer?.stop();
  });

  const [a, b] = [() => instances[0].http, () => instances[1].http];
  const logout = (tokens: TokenPair) => a().send({ method: 'POST', path: '/api/v1/auth/logout', token: tokens.accessToken, body: {} });
  const statusOnBoth = async (tokens: TokenPair) =>
    Promise.all([meOverHttp(a(), tokens.accessToken), meOverHttp(b(), tokens.accessToken)]).then((replies) => replies.map((reply) => reply.status));

  /** A user with two sessions, one logged out; both checked on both instances. */
  async function loggedOutAndKept(): Promise<{ loggedOut: TokenPair; kept: TokenPair }> {
    const account = await registerOverHttp(a(), deployment.db);
    const [loggedOut, kept] = [await loginOverHttp(a(), account), await loginOverHttp(b(), account)];
    expect((await logout(loggedOut)).status).toBe(204);
    expect(await statusOnBoth(loggedOut)).toEqual([401, 401]);
    expect(await statusOnBoth(kept)).toEqual([200, 200]);
    return { loggedOut, kept };
  }

  it(`${ROUNDS} rounds: FLUSHDB on a live connection brings no logged-out token back, and logs nobody out`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { loggedOut, kept } = await loggedOutAndKept();
      await redis.flushdb();
      expect(await statusOnBoth(loggedOut)).toEqual([401, 401]);
      expect(await statusOnBoth(kept)).toEqual([200, 200]);
    }
  });

  it('a password change survives FLUSHDB: the old tokens stay refused, the new login works', async () => {
    const account = await registerOverHttp(a(), deployment.db);
    const before = await loginOverHttp(b(), account);
    const changed = await a().send({
      method: 'POST',
      path: '/api/v1/auth/password',
      token: before.accessToken,
      body: { currentPassword: account.password, newPassword: `${account.password}-2` },
    });
    expect(changed.status).toBe(204);
    const after = await loginOverHttp(a(), { email: account.email, password: `${account.password}-2` });
    await redis.flushdb();
    expect(await statusOnBoth(before)).toEqual([401, 401]);
    expect(await statusOnBoth(after)).toEqual([200, 200]);
  });

  it('5 rounds: Redis restarted empty in the same second as a logout: the token stays refused on both', async () => {
    for (let round = 0; round < 5; round++) {
      const { loggedOut, kept } = await loggedOutAndKept();
      await redisServer.stop();
      await redisServer.start();
      // Each instance reconnects on its own; until then it answers 503 (fail closed), and never 200
      // for the logged-out token.
      for (const started = Date.now(); ;) {
        const [refused, allowed] = [await statusOnBoth(loggedOut), await statusOnBoth(kept)];
        expect(refused.filter((status) => status !== 503)).toEqual(refused.filter((status) => status === 401));
        if (![...refused, ...allowed].includes(503)) break;
        if (Date.now() - started > 10_000) throw new Error(`still 503 after 10 s: ${refused} ${allowed}`);
      }
      expect(await statusOnBoth(loggedOut)).toEqual([401, 401]);
      expect(await statusOnBoth(kept)).toEqual([200, 200]);
    }
  });

  it('refuses to boot on a Redis that may evict keys (maxmemory-policy other than noeviction)', async () => {
    const evicting = await OwnRedisServer.start(['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru']);
    try {
      const ended = await runServerProcessToExit(
        { NODE_ENV: 'test', DATABASE_URL: deployment.databaseUrl, REDIS_URL: evicting.url, DATA_DIR: deployment.dataDir },
        30_000,
      );
      expect(ended.code).not.toBe(0);
      expect(ended.output).toContain('maxmemory-policy is allkeys-lru');
    } finally {
      await evicting.stop();
    }
  });
});
