import { setTimeout as sleep } from 'node:timers/promises';
import { TokenPair } from '../support/auth';
import { insertProducts } from '../support/books';
import { HttpReply } from '../support/http-client';
import { LoadRun, unexpectedOutcomes, VirtualUser } from '../support/load';
import { meOverHttp, refreshOverHttp, sessionOverHttp } from '../support/remote-auth';
import { ServiceDeployment, ServiceInstance } from '../support/service-deployment';
import { TcpProxy } from '../support/tcp-proxy';
import { OwnRedisServer } from '../throttling/own-redis-server';

const PRODUCTS = '/api/v1/products';
const ORDERS = '/api/v1/orders';
const RECOVERY_BOUND_MS = 5_000;
const USERS = 4;

/**
 * Redis holds the rate-limit counters and the access-token revocations. Without it, general limits
 * fail open (public reads go on) and everything that needs a revocation check or a login counter
 * fails closed: 503 with Retry-After, never a 500, never a token let through unchecked.
 * This Redis keeps nothing on disk, like the one in docker-compose.yml: when it comes back it has
 * forgotten every revocation, so the service reloads them from Postgres, the authority, before it
 * answers again: a logged-out token stays refused, and every other token goes on working.
 */
describe("Redis goes away and comes back empty (a redis-server of the test's own, stopped by pid)", () => {
  let redis: OwnRedisServer;
  let deployment: ServiceDeployment;
  let app: ServiceInstance;
  let run: LoadRun;
  /** One session per load user, one for this test's own checks, one logged out before the outage. */
  let sessions: TokenPair[];
  let mine: TokenPair;
  let loggedOut: TokenPair;

  beforeAll(async () => {
    redis = await OwnRedisServer.start();
    deployment = await ServiceDeployment.create();
    // Limits far above what this test sends: it is about Redis, not about being limited.
    app = await deployment.start({ redisUrl: redis.url, env: { RATE_LIMIT_ANONYMOUS: '1000000/60s', RATE_LIMIT_AUTHENTICATED: '1000000/60s' } });
    await insertProducts(deployment.db, [1_000]);
    sessions = await Promise.all(Array.from({ length: USERS }, async () => (await sessionOverHttp(app.http, deployment.db)).tokens));
    mine = (await sessionOverHttp(app.http, deployment.db)).tokens;
    loggedOut = (await sessionOverHttp(app.http, deployment.db)).tokens;
  }, 60_000);
  afterAll(async () => {
    run?.stop();
    await run?.finished();
    await deployment?.close();
    await redis?.stop();
  });

  it('before the outage: a logged-out token is refused, a live one works', async () => {
    expect((await app.http.send({ method: 'POST', path: '/api/v1/auth/logout', token: loggedOut.accessToken, body: {} })).status).toBe(204);
    expect((await meOverHttp(app.http, loggedOut.accessToken)).status).toBe(401);
    expect((await meOverHttp(app.http, mine.accessToken)).status).toBe(200);
    run = new LoadRun({
      port: app.server.port,
      users: USERS + 1,
      durationMs: 60_000,
      phase: 'before',
      behaviour: (user) => (user.index < USERS ? browseAndListOrders(user, sessions[user.index]) : tryRevokedToken(user, loggedOut.accessToken)),
    });
    await sleep(1_000);
  });

  it('Redis down: public reads work; authenticated requests and logins fail closed with 503 and Retry-After; readiness 503', async () => {
    run.phase = 'stopping';
    await redis.stop();
    run.phase = 'down';
    expect((await app.http.send({ path: PRODUCTS })).status).toBe(200);
    expectFailedClosed(await meOverHttp(app.http, mine.accessToken));
    // Whether this token was revoked cannot be checked now: refused, never let through.
    expectFailedClosed(await meOverHttp(app.http, loggedOut.accessToken));
    expectFailedClosed(
      await app.http.send({ method: 'POST', path: '/api/v1/auth/login', body: { email: 'nobody@example.test', password: 'a password long enough' } }),
    );
    expect((await app.http.send({ path: '/health/ready' })).status).toBe(503);
    expect((await app.http.send({ path: '/health/live' })).status).toBe(200);
    await sleep(1_000);
  });

  it('Redis back on the same port: sessions work again within 5 s, without a restart; the logged-out token stays refused', async () => {
    const issuedBeforeOutage = mine.accessToken;
    run.phase = 'back';
    await redis.start();
    const restarted = performance.now();
    const serving = async () => {
      const refreshed = await refreshOverHttp(app.http, mine.refreshToken);
      if (refreshed.status !== 200) return false;
      mine = refreshed.json<TokenPair>();
      return (await meOverHttp(app.http, mine.accessToken)).status === 200;
    };
    while (!(await serving()) && performance.now() - restarted < RECOVERY_BOUND_MS) await sleep(50);
    const recoveryMs = Math.round(performance.now() - restarted);
    expect(recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
    expect((await app.http.send({ path: '/health/ready' })).status).toBe(200);
    expect((await meOverHttp(app.http, loggedOut.accessToken)).status).toBe(401);
    expect((await refreshOverHttp(app.http, loggedOut.refreshToken)).status).toBe(401);
    // Redis came back empty, and was reloaded from Postgres: a token issued before and never revoked still works.
    expect((await meOverHttp(app.http, issuedBeforeOutage)).status).toBe(200);

    await sleep(1_000);
    run.stop();
    const report = await run.finished();
    console.log(`Redis outage: full service ${recoveryMs} ms after Redis was back; load: ${JSON.stringify(report)}`);
    expect(unexpectedOutcomes(report, 'before', { 'GET /products': [200], 'GET /orders': [200], 'GET /users/me(logged-out)': [401] })).toEqual([]);
    const eitherSide = { 'GET /products': [200], 'GET /orders': [200, 401, 503], 'POST /auth/refresh': [200], 'GET /users/me(logged-out)': [401, 503] };
    expect(unexpectedOutcomes(report, 'stopping', eitherSide)).toEqual([]);
    expect(unexpectedOutcomes(report, 'transition', eitherSide)).toEqual([]);
    expect(unexpectedOutcomes(report, 'down', { 'GET /products': [200], 'GET /orders': [503], 'GET /users/me(logged-out)': [503] })).toEqual([]);
    // Back: nobody was logged out by the outage (503 until this instance has reconnected, never 401).
    expect(unexpectedOutcomes(report, 'back', { 'GET /products': [200], 'GET /orders': [200, 503], 'GET /users/me(logged-out)': [401, 503] })).toEqual([]);
    expect(report.socketErrors).toBe(0);
  });
});

/**
 * The other way Redis goes away: the network to it fails while Redis itself, and its data, stay.
 * Tokens issued before are still vouched for when it is back: a revocation was never forgotten.
 */
describe('Redis unreachable, then reachable again with its data (cut at a TCP proxy)', () => {
  let redis: OwnRedisServer;
  let proxy: TcpProxy;
  let deployment: ServiceDeployment;
  let app: ServiceInstance;

  beforeAll(async () => {
    redis = await OwnRedisServer.start();
    proxy = await TcpProxy.start({ host: '127.0.0.1', port: redis.port });
    deployment = await ServiceDeployment.create();
    app = await deployment.start({ redisUrl: `redis://127.0.0.1:${proxy.port}` });
  }, 60_000);
  afterAll(async () => {
    await deployment?.close();
    await proxy?.cut();
    await redis?.stop();
  });

  it('fails closed while cut; within 5 s of the way back, old tokens work again and a logged-out one stays refused', async () => {
    const live = (await sessionOverHttp(app.http, deployment.db)).tokens;
    const loggedOut = (await sessionOverHttp(app.http, deployment.db)).tokens;
    expect((await app.http.send({ method: 'POST', path: '/api/v1/auth/logout', token: loggedOut.accessToken, body: {} })).status).toBe(204);

    await proxy.cut();
    expectFailedClosed(await meOverHttp(app.http, live.accessToken));
    expectFailedClosed(await meOverHttp(app.http, loggedOut.accessToken));

    await proxy.restore();
    const restored = performance.now();
    while ((await meOverHttp(app.http, live.accessToken)).status !== 200 && performance.now() - restored < RECOVERY_BOUND_MS) await sleep(50);
    const recoveryMs = Math.round(performance.now() - restored);
    console.log(`Redis unreachable: the same tokens work again ${recoveryMs} ms after the network was back`);
    expect(recoveryMs).toBeLessThan(RECOVERY_BOUND_MS);
    expect((await meOverHttp(app.http, loggedOut.accessToken)).status).toBe(401);
  });
});

/** A client that browses, lists its orders, and refreshes its session when its access token is refused. */
async function browseAndListOrders(user: VirtualUser, session: TokenPair): Promise<void> {
  let tokens = session;
  while (user.running) {
    await user.send('GET /products', { path: PRODUCTS });
    const listed = await user.send('GET /orders', { path: ORDERS, token: tokens.accessToken });
    if (listed?.status !== 401) continue;
    const refreshed = await user.send('POST /auth/refresh', { method: 'POST', path: '/api/v1/auth/refresh', body: { refreshToken: tokens.refreshToken } });
    if (refreshed?.status === 200) tokens = refreshed.json<TokenPair>();
  }
}

/** A stolen token whose owner logged out: it must never be answered 200, whatever happens to Redis. */
async function tryRevokedToken(user: VirtualUser, accessToken: string): Promise<void> {
  while (user.running) {
    await user.send('GET /users/me(logged-out)', { path: '/api/v1/users/me', token: accessToken });
    await sleep(20);
  }
}

function expectFailedClosed(reply: HttpReply): void {
  expect(reply.status).toBe(503);
  expect(reply.headers['retry-after']).toMatch(/^\d+$/);
  expect(reply.headers['content-type']).toBe('application/problem+json; charset=utf-8');
}
