import { setTimeout as sleep } from 'node:timers/promises';
import { TokenPair } from '../support/auth';
import { insertProducts, OpeningStock, unbalancedBooks } from '../support/books';
import { HttpReply, HttpRequest } from '../support/http-client';
import { LoadReport, LoadRun, unexpectedOutcomes, VirtualUser } from '../support/load';
import { sessionOverHttp } from '../support/remote-auth';
import { ServiceDeployment, ServiceInstance } from '../support/service-deployment';
import { TcpProxy } from '../support/tcp-proxy';

const PRODUCTS = '/api/v1/products';
const ORDERS = '/api/v1/orders';
const USERS = 8;
/** Every request must be answered within this (the load client gives up after it: a socket error). */
const ANSWER_BOUND_MS = 10_000;
const RECOVERY_BOUND_MS = 5_000;

/**
 * Postgres becomes unreachable mid-run: a TCP proxy between the service and the real server drops
 * every connection and refuses new ones, then comes back on the same port. The service must answer
 * 503 with Retry-After meanwhile (an outage the client can wait out, not a bug), keep its liveness,
 * report not ready, recover on its own, and lose or half-write nothing.
 */
describe('Postgres goes away and comes back (cut at a TCP proxy the test controls)', () => {
  let deployment: ServiceDeployment;
  let proxy: TcpProxy;
  let app: ServiceInstance;
  let opening: OpeningStock;
  let run: LoadRun;
  let report: LoadReport;
  let mine: TokenPair;

  beforeAll(async () => {
    ({ deployment, proxy, app } = await serviceBehindProxy());
    opening = await insertProducts(deployment.db, [100_000, 100_000, 100_000]);
    const sessions = await Promise.all(Array.from({ length: USERS + 1 }, async () => (await sessionOverHttp(app.http, deployment.db)).tokens));
    mine = sessions.pop()!;
    run = new LoadRun({
      port: app.server.port,
      users: USERS,
      durationMs: 60_000,
      phase: 'before',
      behaviour: (user) => shop(user, sessions[user.index], [...opening.keys()]),
    });
  }, 60_000);
  afterAll(async () => {
    run?.stop();
    await run?.finished();
    await deployment?.close();
    await proxy?.cut();
  });

  it('Postgres cut: data routes answer 503 with Retry-After at once, liveness 200, readiness 503', async () => {
    await sleep(1_500);
    run.phase = 'cutting';
    await proxy.cut();
    run.phase = 'cut';

    expectUnavailable(await app.http.send({ path: PRODUCTS }));
    expectUnavailable(
      await app.http.send({ method: 'POST', path: ORDERS, token: mine.accessToken, body: { items: [{ productId: [...opening.keys()][0], quantity: 1 }] } }),
    );
    expectUnavailable(
      await app.http.send({ method: 'POST', path: '/api/v1/auth/login', body: { email: 'nobody@example.test', password: 'a password long enough' } }),
    );
    expect((await app.http.send({ path: '/health/live' })).status).toBe(200);
    expect((await app.http.send({ path: '/health/ready' })).status).toBe(503);
    await sleep(1_500);
  });

  it('Postgres back: the same process serves again within 5 s', async () => {
    run.phase = 'restoring';
    await proxy.restore();
    const restored = performance.now();
    let reply = await app.http.send({ path: PRODUCTS });
    while (reply.status !== 200 && performance.now() - restored < RECOVERY_BOUND_MS) {
      await sleep(50);
      reply = await app.http.send({ path: PRODUCTS });
    }
    const recoveryMs = Math.round(performance.now() - restored);
    expect(reply.status).toBe(200);
    expect((await app.http.send({ path: '/health/ready' })).status).toBe(200);
    expect(app.server.child.exitCode).toBeNull();

    run.phase = 'after';
    await sleep(1_500);
    run.stop();
    report = await run.finished();
    console.log(`Postgres outage: serving again ${recoveryMs} ms after the proxy was back; load: ${JSON.stringify(report)}`);
    const normal = { 'GET /products': [200], 'POST /orders': [201], 'POST /orders/:id/cancel': [200] };
    const normalOr503 = { 'GET /products': [200, 503], 'POST /orders': [201, 503], 'POST /orders/:id/cancel': [200, 503] };
    expect(unexpectedOutcomes(report, 'before', normal)).toEqual([]);
    expect(unexpectedOutcomes(report, 'cutting', normalOr503)).toEqual([]);
    expect(unexpectedOutcomes(report, 'transition', normalOr503)).toEqual([]);
    expect(unexpectedOutcomes(report, 'cut', { 'GET /products': [503], 'POST /orders': [503], 'POST /orders/:id/cancel': [503] })).toEqual([]);
    expect(unexpectedOutcomes(report, 'restoring', normalOr503)).toEqual([]);
    expect(unexpectedOutcomes(report, 'after', normal)).toEqual([]);
    expect(report.socketErrors).toBe(0);
    expect(report.maxLatencyMs).toBeLessThan(ANSWER_BOUND_MS);
  });

  it('logs the outage as a line per 10 s, not one per request answered 503', () => {
    const answered503 = Object.entries(report.outcomes)
      .filter(([outcome]) => outcome.endsWith(' 503'))
      .reduce((sum, [, count]) => sum + count, 0);
    const lines = app.server
      .output()
      .split('\n')
      .filter((line) => line.includes('Database unavailable: answering 503'));
    expect(answered503).toBeGreaterThan(50);
    // The cut lasts a few seconds: one line when it starts, at most one more per 10 s.
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(
      app.server
        .output()
        .split('\n')
        .filter((line) => line.includes('"msg":"request failed"')),
    ).toEqual([]);
  });

  it('no half-placed order: every order has all its lines, and its stock was taken exactly once', async () => {
    expect(report.requests).toBeGreaterThan(0);
    expect(await unbalancedBooks(deployment.db, opening)).toEqual([]);
  });
});

/** A deployment whose one instance reaches Postgres through a TcpProxy the test controls. */
async function serviceBehindProxy(): Promise<{ deployment: ServiceDeployment; proxy: TcpProxy; app: ServiceInstance }> {
  const deployment = await ServiceDeployment.create();
  const direct = new URL(deployment.databaseUrl);
  const proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
  const viaProxy = new URL(deployment.databaseUrl);
  viaProxy.host = `127.0.0.1:${proxy.port}`;
  // Limits far above what these tests send: they are about Postgres, not about being limited. Errors
  // only in the log (no access lines), to count what an outage writes there.
  const env = { RATE_LIMIT_ANONYMOUS: '1000000/60s', RATE_LIMIT_AUTHENTICATED: '1000000/60s', LOG_LEVEL: 'error' };
  return { deployment, proxy, app: await deployment.start({ databaseUrl: viaProxy.toString(), env }) };
}

/** Requests answered 503 must be answered this soon, even when Postgres never answers at all. */
const BLACK_HOLE_BOUND_MS = 6_000;

/**
 * A network that drops packets silently (a firewall, a dead host, a partition) is worse than one that
 * refuses connections: nothing ever fails, it only waits. The proxy here accepts connections and
 * forwards nothing. Data routes must still answer 503 with Retry-After within about 5 s: the pool's
 * connect and wait timeouts, the statement timeout, and a connection whose query timed out being
 * closed at once (so the transaction's ROLLBACK does not wait a second time on it).
 */
describe('Postgres black-holes every packet (a proxy that accepts connections and forwards nothing)', () => {
  let deployment: ServiceDeployment;
  let proxy: TcpProxy;
  let app: ServiceInstance;
  let mine: TokenPair;
  let productId: string;
  let orderId: string;

  beforeAll(async () => {
    ({ deployment, proxy, app } = await serviceBehindProxy());
    productId = [...(await insertProducts(deployment.db, [100_000])).keys()][0];
    mine = (await sessionOverHttp(app.http, deployment.db)).tokens;
    const placed = await app.http.send({ method: 'POST', path: ORDERS, token: mine.accessToken, body: { items: [{ productId, quantity: 1 }] } });
    expect(placed.status).toBe(201);
    orderId = placed.json<{ id: string }>().id;
  }, 60_000);
  afterAll(async () => {
    await deployment?.close();
    await proxy?.cut();
  });

  it('data routes answer 503 with Retry-After within about 5 s, on open connections and new ones alike', async () => {
    const requests = () => [
      { path: PRODUCTS },
      { path: `${ORDERS}/${orderId}`, token: mine.accessToken },
      { method: 'POST', path: ORDERS, token: mine.accessToken, body: { items: [{ productId, quantity: 1 }] } },
      { method: 'POST', path: '/api/v1/auth/login', body: { email: 'nobody@example.test', password: 'a password long enough' } },
    ];
    // Warm: the pool holds open connections, which the black hole will swallow mid-query.
    await Promise.all(requests().map((request) => app.http.send(request)));
    proxy.blackHole();

    const timed = async (request: HttpRequest) => {
      const started = performance.now();
      const reply = await app.http.send({ ...request, timeoutMs: 30_000 });
      return { request: `${request.method ?? 'GET'} ${request.path}`, reply, ms: Math.round(performance.now() - started) };
    };
    // All at once (on the pool's open connections), then again (new connections, or waits for one).
    const answers = [...(await Promise.all(requests().map(timed))), ...(await Promise.all(requests().map(timed)))];
    console.log(`Postgres black hole: answered in ${answers.map(({ request, reply, ms }) => `${request} ${reply.status} ${ms} ms`).join('; ')}`);
    for (const { reply } of answers) expectUnavailable(reply);
    expect(answers.filter(({ ms }) => ms > BLACK_HOLE_BOUND_MS).map(({ request, ms }) => `${request} ${ms} ms`)).toEqual([]);
    expect((await app.http.send({ path: '/health/live' })).status).toBe(200);
    expect((await app.http.send({ path: '/health/ready' })).status).toBe(503);
  }, 90_000);
});

/** A customer placing orders of one to three lines and cancelling every other one. */
async function shop(user: VirtualUser, session: TokenPair, productIds: string[]): Promise<void> {
  for (let round = 0; user.running; round++) {
    await user.send('GET /products', { path: PRODUCTS, timeoutMs: ANSWER_BOUND_MS });
    const items = productIds.slice(0, 1 + (round % 3)).map((productId, line) => ({ productId, quantity: 1 + line }));
    const placed = await user.send('POST /orders', { method: 'POST', path: ORDERS, token: session.accessToken, body: { items }, timeoutMs: ANSWER_BOUND_MS });
    if (placed?.status === 201 && round % 2 === 0) {
      await user.send('POST /orders/:id/cancel', {
        method: 'POST',
        path: `${ORDERS}/${placed.json().id}/cancel`,
        token: session.accessToken,
        body: {},
        timeoutMs: ANSWER_BOUND_MS,
      });
    }
  }
}

/** 503 with Retry-After, as a problem body that says nothing about the cause. */
function expectUnavailable(reply: HttpReply): void {
  expect(reply.status).toBe(503);
  expect(reply.headers['retry-after']).toMatch(/^\d+$/);
  expect(reply.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(Object.keys(reply.json()).sort()).toEqual(['instance', 'requestId', 'status', 'title', 'type']);
}
