import { setTimeout as sleep } from 'node:timers/promises';
import { TokenPair } from '../support/auth';
import { insertProducts, OpeningStock, unaccountedOrders, unbalancedBooks } from '../support/books';
import { HttpClient, HttpReply, socketErrorCode } from '../support/http-client';
import { LoadRun, unexpectedOutcomes, VirtualUser } from '../support/load';
import { sessionOverHttp } from '../support/remote-auth';
import { lockProductRow, RowLock } from '../support/row-lock';
import { ServiceDeployment, ServiceInstance } from '../support/service-deployment';
import { until } from '../support/until';

/** Connections kept busy by the load, each its own virtual user (the figure: 100). */
const USERS = 100;
const SESSIONS = 10;
/** Orders held inside their transaction (the test holds their product's row lock) when SIGTERM lands. */
const HELD = 3;
const EXIT_BOUND_MS = 10_000;
/** Each shutdown is a race between the signal and the requests on their way: it is run several times. */
const ROUNDS = 3;

/**
 * SIGTERM in the middle of traffic (a deploy, a scale-down): readiness answers 503, new connections
 * are refused at once, every request that reaches an open connection is answered (with
 * `Connection: close`), and not one connection is reset, so no client is left not knowing whether
 * its order exists. Then the service exits 0. To have requests surely in flight at that moment, a
 * few orders are held inside their transaction by a row lock the test takes; they must still end
 * 201 after the signal.
 */
describe('Shutdown: SIGTERM during load', () => {
  let deployment: ServiceDeployment;
  let opening: OpeningStock;
  let sessions: TokenPair[];
  const placed: string[] = [];
  let run: LoadRun | undefined;
  let lock: RowLock | undefined;
  const clients: HttpClient[] = [];
  const limits = { RATE_LIMIT_ANONYMOUS: '1000000/60s', RATE_LIMIT_AUTHENTICATED: '1000000/60s', RATE_LIMIT_LOGIN_IP: '1000000/900s' };

  beforeAll(async () => {
    deployment = await ServiceDeployment.create();
    const app = await deployment.start({ env: limits });
    opening = await insertProducts(deployment.db, [1_000_000, 1_000]);
    sessions = await Promise.all(Array.from({ length: SESSIONS + 1 }, async () => (await sessionOverHttp(app.http, deployment.db)).tokens));
    await app.stop();
  }, 60_000);
  // Whatever failed in a round, nothing is left waiting: the lock goes first, so the service can drain.
  afterEach(async () => {
    await lock?.release();
    run?.stop();
    await run?.finished();
    run = undefined;
    for (const client of clients.splice(0)) client.close();
  });
  afterAll(() => deployment?.close());

  it.each(Array.from({ length: ROUNDS }, (_, round) => round + 1))(
    'shutdown %i: readiness 503, new connections refused, every request answered and none reset, exit 0 within 10 s',
    async () => {
      const app = await deployment.start({ env: limits });
      const [plentiful, held] = [...opening.keys()];
      run = new LoadRun({
        port: app.server.port,
        users: USERS,
        durationMs: 30_000,
        behaviour: (user) => shop(user, sessions[user.index % SESSIONS], plentiful, placed),
      });
      await sleep(1_500);

      const heldLock = await lockProductRow(deployment.db, held);
      const heldClient = new HttpClient(app.server.port, { connections: HELD });
      [lock] = [heldLock]; // for afterAll, should this test fail midway
      clients.push(heldClient);
      const heldOrders = Array.from({ length: HELD }, () =>
        heldClient.send({ method: 'POST', path: '/api/v1/orders', token: sessions[SESSIONS].accessToken, body: { items: [{ productId: held, quantity: 1 }] } }),
      );
      await until(async () => (await heldLock.waiting()) === HELD);

      // A load balancer's health checker, on two connections it opened before the signal.
      const checkers = [new HttpClient(app.server.port, { connections: 1 }), new HttpClient(app.server.port, { connections: 1 })];
      clients.push(...checkers);
      for (const checker of checkers) expect((await checker.send({ path: '/health/ready' })).status).toBe(200);

      run.phase = 'draining';
      const signalled = performance.now();
      app.server.child.kill('SIGTERM');
      // Readiness says 503 on a connection the checker already holds, and new connections are
      // refused, while the held orders are still being worked on.
      const readiness = await readinessOnceDraining(checkers);
      expect({ status: readiness.status, connection: readiness.headers.connection }).toEqual({ status: 503, connection: 'close' });
      await until(async () => (await freshConnection(app)) === 'ECONNREFUSED', 2_000);
      expect(app.server.child.exitCode).toBeNull();

      await heldLock.release();
      const heldReplies = await Promise.allSettled(heldOrders);
      const code = await app.server.exited;
      const exitMs = Math.round(performance.now() - signalled);
      run.stop();
      const report = await run.finished();
      for (const reply of heldReplies) if (reply.status === 'fulfilled' && reply.value.status === 201) placed.push(reply.value.json<{ id: string }>().id);
      console.log(`Shutdown: exit ${code} ${exitMs} ms after SIGTERM; load: ${JSON.stringify(report)}`);

      // Answered 201, and during the drain with `Connection: close`, so that their sockets end with
      // the answer instead of holding the exit for the keep-alive timeout.
      expect(heldReplies.map(outcomeOf)).toEqual(Array(HELD).fill('201 close'));
      expect(code).toBe(0);
      expect(exitMs).toBeLessThan(EXIT_BOUND_MS);
      expect(unexpectedOutcomes(report, 'steady', { 'GET /products': [200], 'POST /orders': [201] })).toEqual([]);
      // From the signal on, a request was either answered normally, or refused before it was sent:
      // a new connection refused. Never a reset: the client could not tell whether it was carried out.
      const answeredOrRefused = { 'GET /products': [200, 'ECONNREFUSED'], 'POST /orders': [201, 'ECONNREFUSED'] };
      expect(unexpectedOutcomes(report, 'transition', answeredOrRefused)).toEqual([]);
      expect(unexpectedOutcomes(report, 'draining', answeredOrRefused)).toEqual([]);
    },
    60_000,
  );

  it('leaves no order half-written and none placed without its 201', async () => {
    expect(placed.length).toBeGreaterThan(HELD * ROUNDS);
    expect(await unaccountedOrders(deployment.db, placed)).toEqual([]);
    expect(await unbalancedBooks(deployment.db, opening)).toEqual([]);
  });
});

/** What a brand-new connection gets: a status, or the socket error code. */
async function freshConnection(app: ServiceInstance): Promise<number | string> {
  const client = new HttpClient(app.server.port, { connections: 1 });
  try {
    return (await client.send({ path: '/health/live', timeoutMs: 1_000 })).status;
  } catch (error) {
    return socketErrorCode(error);
  } finally {
    client.close();
  }
}

/**
 * Readiness once the drain has begun, on connections opened before it. The first answer that closes
 * its connection marks the drain; if that was a 200 (its request was already being answered when
 * the signal came), the other connection, idle until then, asks again.
 */
async function readinessOnceDraining([first, second]: HttpClient[]): Promise<HttpReply> {
  let reply = await first.send({ path: '/health/ready' });
  while (reply.headers.connection !== 'close') reply = await first.send({ path: '/health/ready' });
  return reply.status === 200 ? second.send({ path: '/health/ready' }) : reply;
}

function outcomeOf(reply: PromiseSettledResult<HttpReply>): string {
  return reply.status === 'fulfilled' ? `${reply.value.status} ${reply.value.headers.connection}` : socketErrorCode(reply.reason);
}

/** Browses and orders, remembering every order it was answered 201 for. */
async function shop(user: VirtualUser, session: TokenPair, productId: string, placed: string[]): Promise<void> {
  while (user.running) {
    await user.send('GET /products', { path: '/api/v1/products' });
    const reply = await user.send('POST /orders', {
      method: 'POST',
      path: '/api/v1/orders',
      token: session.accessToken,
      body: { items: [{ productId, quantity: 1 }] },
    });
    if (reply?.status === 201) placed.push(reply.json<{ id: string }>().id);
  }
}
