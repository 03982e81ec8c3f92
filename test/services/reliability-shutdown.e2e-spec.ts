import { setTimeout as sleep } from 'node:timers/promises';
import { TokenPair } from '../support/auth';
import { insertProducts, OpeningStock, unaccountedOrders, unbalancedBooks } from '../support/books';
import { HttpClient, HttpReply, socketErrorCode } from '../support/http-client';
import { LoadRun, unexpectedOutcomes, VirtualUser } from '../support/load';
import { sessionOverHttp } from '../support/remote-auth';
import { lockProductRow, RowLock } from '../support/row-lock';
import { ServiceDeployment, ServiceInstance } from '../support/service-deployment';
import { until } from '../support/until';

const USERS = 20;
/** Orders held inside their transaction (the test holds their product's row lock) when SIGTERM lands. */
const HELD = 3;
const EXIT_BOUND_MS = 10_000;

/**
 * SIGTERM in the middle of traffic (a deploy, a scale-down): the service stops accepting
 * connections at once, finishes every request it had accepted with its normal answer, then exits 0.
 * To have requests surely in flight at that moment, a few orders are held inside their transaction
 * by a row lock the test takes; they must still end 201 after the signal.
 */
describe('Shutdown: SIGTERM during load', () => {
  let deployment: ServiceDeployment;
  let app: ServiceInstance;
  let opening: OpeningStock;
  let sessions: TokenPair[];
  const placed: string[] = [];
  let run: LoadRun | undefined;
  let lock: RowLock | undefined;
  let holder: HttpClient | undefined;

  beforeAll(async () => {
    deployment = await ServiceDeployment.create();
    app = await deployment.start({ env: { RATE_LIMIT_ANONYMOUS: '1000000/60s', RATE_LIMIT_AUTHENTICATED: '1000000/60s', RATE_LIMIT_LOGIN_IP: '1000000/900s' } });
    opening = await insertProducts(deployment.db, [1_000_000, 1_000]);
    sessions = await Promise.all(Array.from({ length: USERS + 1 }, async () => (await sessionOverHttp(app.http)).tokens));
  }, 60_000);
  afterAll(async () => {
    // Whatever failed above, nothing is left waiting: the lock goes first, so the service can drain.
    await lock?.release();
    run?.stop();
    await run?.finished();
    holder?.close();
    await deployment?.close();
  });

  it('finishes the requests it accepted, refuses new connections, and exits 0 within 10 s', async () => {
    const [plentiful, held] = [...opening.keys()];
    run = new LoadRun({ port: app.server.port, users: USERS, durationMs: 30_000, behaviour: (user) => shop(user, sessions[user.index], plentiful, placed) });
    await sleep(1_500);

    const heldLock = await lockProductRow(deployment.db, held);
    const heldClient = new HttpClient(app.server.port, { connections: HELD });
    [lock, holder] = [heldLock, heldClient]; // for afterAll, should this test fail midway
    const heldOrders = Array.from({ length: HELD }, () =>
      heldClient.send({ method: 'POST', path: '/api/v1/orders', token: sessions[USERS].accessToken, body: { items: [{ productId: held, quantity: 1 }] } }),
    );
    await until(async () => (await heldLock.waiting()) === HELD);

    run.phase = 'draining';
    const signalled = performance.now();
    app.server.child.kill('SIGTERM');
    // New connections are refused while the held orders are still being worked on.
    await until(async () => (await freshConnection()) === 'ECONNREFUSED', 2_000);
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
    // From the signal on, a request was either answered normally, or refused without being worked
    // on: its connection refused or closed, or (arriving on a kept-alive connection) Fastify's 503.
    const refusedOrNormal = ['ECONNREFUSED', 'ECONNRESET', 503];
    expect(unexpectedOutcomes(report, 'transition', { 'GET /products': [200, ...refusedOrNormal], 'POST /orders': [201, ...refusedOrNormal] })).toEqual([]);
    expect(unexpectedOutcomes(report, 'draining', { 'GET /products': [200, ...refusedOrNormal], 'POST /orders': [201, ...refusedOrNormal] })).toEqual([]);
  }, 60_000);

  it('leaves no order half-written and none placed without its 201', async () => {
    expect(placed.length).toBeGreaterThan(HELD);
    expect(await unaccountedOrders(deployment.db, placed)).toEqual([]);
    expect(await unbalancedBooks(deployment.db, opening)).toEqual([]);
  });

  /** What a brand-new connection gets: a status, or the socket error code. */
  async function freshConnection(): Promise<number | string> {
    const client = new HttpClient(app.server.port, { connections: 1 });
    try {
      return (await client.send({ path: '/health/live', timeoutMs: 1_000 })).status;
    } catch (error) {
      return socketErrorCode(error);
    } finally {
      client.close();
    }
  }
});

function outcomeOf(reply: PromiseSettledResult<HttpReply>): string {
  return reply.status === 'fulfilled' ? `${reply.value.status} ${reply.value.headers.connection}` : socketErrorCode(reply.reason);
}

/** Browses and orders, remembering every order it was answered 201 for. */
async function shop(user: VirtualUser, session: TokenPair, productId: string, placed: string[]): Promise<void> {
  while (user.running) {
    await user.send('GET /products', { path: '/api/v1/products' });
    const reply = await user.send('POST /orders', { method: 'POST', path: '/api/v1/orders', token: session.accessToken, body: { items: [{ productId, quantity: 1 }] } });
    if (reply?.status === 201) placed.push(reply.json<{ id: string }>().id);
  }
}
