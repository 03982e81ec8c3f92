import { Account, TokenPair } from '../support/auth';
import { insertProducts, OpeningStock, unaccountedOrders, unbalancedBooks } from '../support/books';
import { LoadRun, unexpectedOutcomes, VirtualUser } from '../support/load';
import { loginOverHttp, registerOverHttp } from '../support/remote-auth';
import { ServiceDeployment, ServiceInstance } from '../support/service-deployment';

/** 60 s, as issue 9 asks (the file then takes about 70 s); LOAD_SECONDS to run shorter or longer. */
const LOAD_SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const CONNECTIONS = 100;
const ACCOUNTS = 20;
/** Every order locks its products' rows: a catalogue of a few products would serialize all orders. */
const PRODUCTS = 12;
const PLENTIFUL = 1_000_000;
/** One product that runs out during the run: concurrent orders fight for it, and none may oversell. */
const SCARCE = 150;

/** Every status each request may get under load; anything else (a 5xx, a 429, a 401) fails the test. */
const EXPECTED = {
  'POST /auth/login': [200],
  'POST /auth/refresh': [200],
  'GET /products': [200],
  'GET /products/:id': [200],
  'POST /orders': [201, 409], // 409: the scarce product ran out
  'GET /orders': [200],
  'GET /orders/:id': [200],
  'POST /orders/:id/cancel': [200],
};

/**
 * Mixed traffic from 100 concurrent connections against one instance, running in its own process
 * (the built dist/main.js) so that the load generator does not share its event loop. Then the books
 * must balance: no request lost, no order half-written, no stock taken twice or oversold.
 */
describe(`Load: ${CONNECTIONS} connections of mixed traffic for ${LOAD_SECONDS} s`, () => {
  let deployment: ServiceDeployment;
  let app: ServiceInstance;
  let opening: OpeningStock;
  let accounts: Account[];
  let sessions: TokenPair[];
  const placed: string[] = [];
  const cancelled: string[] = [];

  beforeAll(async () => {
    deployment = await ServiceDeployment.create();
    // Every client here comes from 127.0.0.1 and 20 accounts share 100 connections: with the
    // default limits (60 anonymous requests a minute per IP, 600 per user) this would measure 429s.
    // The limits themselves are tested elsewhere; here they are set out of reach.
    app = await deployment.start({
      env: {
        RATE_LIMIT_ANONYMOUS: '1000000/60s',
        RATE_LIMIT_AUTHENTICATED: '1000000/60s',
        RATE_LIMIT_LOGIN_IP: '1000000/900s',
        RATE_LIMIT_ACCOUNT_IP: '1000000/900s',
      },
    });
    opening = await insertProducts(deployment.db, [...Array<number>(PRODUCTS).fill(PLENTIFUL), SCARCE]);
    accounts = await inBatches(ACCOUNTS, () => registerOverHttp(app.http, deployment.db));
    // Each connection starts logged in (its own session): 100 argon2 checks at the same instant
    // would be a login storm, not the traffic of this test. Logins stay in the mix below.
    sessions = await inBatches(CONNECTIONS, (index) => loginOverHttp(app.http, accounts[index % ACCOUNTS]));
  }, 120_000);
  afterAll(() => deployment?.close());

  it(
    'answers every request with its normal status: no 5xx, no socket error',
    async () => {
      const productIds = [...opening.keys()];
      const run = new LoadRun({
        port: app.server.port,
        users: CONNECTIONS,
        durationMs: LOAD_SECONDS * 1000,
        // Generous: this is about every request being answered right, not fast (that is `npm run bench`).
        requestTimeoutMs: 30_000,
        behaviour: (user) => customer(user, accounts[user.index % ACCOUNTS], sessions[user.index], productIds, { placed, cancelled }),
      });
      const report = await run.finished();
      console.log(
        `Load: ${report.requests} requests in ${report.elapsedMs} ms (${Math.round(report.requests / (report.elapsedMs / 1000))}/s), max latency ${report.maxLatencyMs} ms; ${JSON.stringify(report.outcomes)}`,
      );
      expect(unexpectedOutcomes(report, 'steady', EXPECTED)).toEqual([]);
      expect(report.serverErrors).toBe(0);
      expect(report.socketErrors).toBe(0);
      expect(placed.length).toBeGreaterThan(0);
    },
    (LOAD_SECONDS + 60) * 1000,
  );

  it('the books balance: stock taken once per live order, none oversold, every order whole', async () => {
    expect(await unbalancedBooks(deployment.db, opening)).toEqual([]);
  });

  it('every 201 order exists exactly once, and exactly the orders answered "cancelled" are cancelled', async () => {
    expect(await unaccountedOrders(deployment.db, placed)).toEqual([]);
    const { rows } = await deployment.db.query<{ id: string }>(`SELECT id FROM orders WHERE status = 'cancelled'`);
    expect(rows.map((row) => row.id).sort()).toEqual([...cancelled].sort());
  });
});

/**
 * One customer on one connection: picks one action at a time (browse, look at a product, order,
 * look at orders, cancel, refresh, log in again) until the run ends. Every order it was told about
 * goes into `placed`, every cancel answered 200 into `cancelled`.
 */
async function customer(
  user: VirtualUser,
  account: Account,
  session: TokenPair,
  productIds: string[],
  books: { placed: string[]; cancelled: string[] },
): Promise<void> {
  let tokens: TokenPair | undefined = session;
  const pending: string[] = [];
  while (user.running && tokens) {
    const roll = Math.random();
    const product = productIds[Math.floor(Math.random() * productIds.length)];
    if (roll < 0.3) {
      await user.send('GET /products', { path: `/api/v1/products?limit=20&offset=${Math.floor(Math.random() * 3)}` });
    } else if (roll < 0.45) {
      await user.send('GET /products/:id', { path: `/api/v1/products/${product}` });
    } else if (roll < 0.67) {
      const items = pickDistinct(productIds, 1 + Math.floor(Math.random() * 3)).map((productId) => ({
        productId,
        quantity: 1 + Math.floor(Math.random() * 3),
      }));
      const reply = await user.send('POST /orders', { method: 'POST', path: '/api/v1/orders', token: tokens.accessToken, body: { items } });
      if (reply?.status === 201) {
        books.placed.push(reply.json<{ id: string }>().id);
        pending.push(reply.json<{ id: string }>().id);
      }
    } else if (roll < 0.77) {
      const mine = pending.length > 0 && Math.random() < 0.5;
      await user.send(mine ? 'GET /orders/:id' : 'GET /orders', {
        path: mine ? `/api/v1/orders/${pending[0]}` : '/api/v1/orders?limit=10',
        token: tokens.accessToken,
      });
    } else if (roll < 0.87) {
      const orderId = pending.shift();
      if (orderId === undefined) continue;
      const reply = await user.send('POST /orders/:id/cancel', {
        method: 'POST',
        path: `/api/v1/orders/${orderId}/cancel`,
        token: tokens.accessToken,
        body: {},
      });
      if (reply?.status === 200) books.cancelled.push(orderId);
    } else if (roll < 0.995) {
      const reply = await user.send('POST /auth/refresh', { method: 'POST', path: '/api/v1/auth/refresh', body: { refreshToken: tokens.refreshToken } });
      tokens = reply?.status === 200 ? reply.json<TokenPair>() : undefined;
    } else {
      tokens = await login(user, account);
    }
  }
}

/** `count` different items, each as likely as any other (the scarce product included). */
function pickDistinct<T>(items: T[], count: number): T[] {
  const left = [...items];
  return Array.from({ length: Math.min(count, left.length) }, () => left.splice(Math.floor(Math.random() * left.length), 1)[0]);
}

/** `count` calls of `make`, a few at a time (the service checks only so many passwords at once). */
async function inBatches<T>(count: number, make: (index: number) => Promise<T>): Promise<T[]> {
  const made: T[] = [];
  for (let start = 0; start < count; start += 4) {
    made.push(...(await Promise.all(Array.from({ length: Math.min(4, count - start) }, (_, offset) => make(start + offset)))));
  }
  return made;
}

async function login(user: VirtualUser, account: Account): Promise<TokenPair | undefined> {
  const reply = await user.send('POST /auth/login', { method: 'POST', path: '/api/v1/auth/login', body: { email: account.email, password: account.password } });
  return reply?.status === 200 ? reply.json<TokenPair>() : undefined;
}
