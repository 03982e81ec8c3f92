import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { DataSource } from 'typeorm';
import { IS_PUBLIC } from '../../src/common/http/public-route';
import { login, manyLoginsEnv } from '../support/auth';
import { OpeningStock, Sql, unbalancedBooks } from '../support/books';
import { insertProduct } from '../support/fixtures';
import { appClient } from '../support/oauth-apps';
import { admin, Caller, customer } from '../support/principals';
import { isOAuthClientEndpoint, isPage, listRoutes, RouteEntry } from '../support/route-inventory';
import { startTestApp, TestApp } from '../support/test-app';
import { changesBetween, DataSnapshot, snapshotOthers } from './data-snapshot';
import { anyBody, anyPathSegment, anyQuery, BodySpec, bodyText, shapeOf } from './fuzz-inputs';

/** Cases over all routes and both callers; FUZZ_RUNS=50000 for a longer hunt, FUZZ_SEED to replay a failure. */
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const FUZZ_SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const STOCK = 1_000;
const PROBLEM_FIELDS = ['type', 'title', 'status', 'detail', 'instance', 'requestId', 'errors'];
/** What an error body must never show: a stack frame, a file path, SQL or driver words, a JS error class. */
const INTERNALS =
  /\bat .+:\d+:\d+|node_modules|\/work\/|\.[jt]s:\d+|QueryFailedError|TypeORM|SQLSTATE|syntax error at|violates|duplicate key|relation "|TypeError|RangeError|ReferenceError|SyntaxError|Cannot read prop/;

interface FuzzCase {
  segments: string[];
  query: string;
  body: BodySpec;
}

/**
 * Property-based fuzzing of every route the application registers (the route inventory, so a new
 * route is fuzzed without anyone listing it): hostile bodies, paths and queries must never get a
 * 5xx or an error body that shows internals, and a customer must never change anyone else's data.
 */
describe('Fuzzing every route with hostile input', () => {
  let t: TestApp;
  let dataSource: DataSource;
  let routes: RouteEntry[];
  let mallory: Caller;
  let administrator: Caller;
  /** Real values to mix into the inputs, so the fuzzing gets past "not found" into real code. */
  let known: string[];
  let runsPerRoute: number;
  let opening: OpeningStock;
  /** How often each status was answered, for the record. */
  const statuses = new Map<number, number>();

  beforeAll(async () => {
    t = await startTestApp({ env: { ...manyLoginsEnv(), RATE_LIMIT_AUTHENTICATED: '1000000/60s', RATE_LIMIT_LOGIN_EMAIL: '1000000/900s' } });
    dataSource = t.app.get(DataSource);
    routes = listRoutes(t.app);
    const products = [await insertProduct(dataSource, { stock: STOCK }), await insertProduct(dataSource, { stock: STOCK })];
    opening = new Map(products.map((product) => [product.id, STOCK]));
    const alice = await customer(t.app);
    mallory = await customer(t.app);
    administrator = await admin(t.app);
    const orderOf = async (caller: Caller) =>
      (
        await t.app.inject({ method: 'POST', url: '/api/v1/orders', headers: caller.headers, payload: { items: [{ productId: products[0].id, quantity: 1 }] } })
      ).json<{ id: string }>().id;
    const app = await appClient(t.app, administrator, { type: 'public', redirectUris: ['https://app.example/callback'] });
    // Alice authorized it (a fixture: the code flow has its own suites), so withdrawing it is there for others to try.
    await dataSource.query(`INSERT INTO oauth_consents (user_id, client_id, scopes) VALUES ($1, $2, ARRAY['orders:read'])`, [alice.id, app.id]);
    known = [
      ...products.map((product) => product.id),
      app.clientId,
      await orderOf(alice),
      await orderOf(mallory),
      alice.id,
      mallory.id,
      alice.email,
      mallory.tokens.refreshToken,
    ];
    runsPerRoute = Math.max(10, Math.ceil(FUZZ_RUNS / (2 * routes.length)));
  }, 60_000);
  afterAll(async () => {
    const cases = [...statuses.values()].reduce((sum, count) => sum + count, 0);
    console.log(`Fuzz: ${cases} cases over ${routes.length} routes; statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    await t.close();
  });

  function anyCase(route: RouteEntry): fc.Arbitrary<FuzzCase> {
    const shape = shapeOf(route);
    return fc.record({
      segments: fc.tuple(...shape.pathParams.map(() => anyPathSegment(known))),
      query: anyQuery(shape.queryFields, known),
      body: anyBody(shape.bodyFields, known),
    });
  }

  async function send(route: RouteEntry, caller: Caller, input: FuzzCase): Promise<LightMyRequestResponse> {
    let segment = 0;
    const path = route.path.replace(/:[A-Za-z]+/g, () => input.segments[segment++]);
    const withBody = !['GET', 'HEAD'].includes(route.method);
    return t.app.inject({
      method: route.method as 'GET',
      url: input.query ? `${path}?${input.query}` : path,
      headers: { ...caller.headers, ...(withBody ? { 'content-type': 'application/json' } : {}) },
      payload: withBody ? bodyText(input.body) : undefined,
    });
  }

  /** Runs the route's cases as `caller`: no 5xx, no internals in any error, ever. */
  async function fuzz(route: RouteEntry, caller: Caller): Promise<void> {
    await fc.assert(
      fc.asyncProperty(anyCase(route), async (input) => {
        const response = await send(route, caller, input);
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        expectSafeAnswer(route, response);
        // A logout or a refresh-token reuse among the cases ends the caller's session: a protected
        // route then answers 401, and the caller starts a new session.
        if (response.statusCode === 401 && !isPublic(route)) {
          const tokens = await login(t.app, caller);
          caller.tokens = tokens;
          caller.headers = { authorization: `Bearer ${tokens.accessToken}` };
        }
      }),
      { numRuns: runsPerRoute, seed: FUZZ_SEED },
    );
  }

  it('finds the routes to fuzz, and the fields of their bodies and queries', () => {
    const post = routes.find((route) => route.method === 'POST' && route.path === '/api/v1/orders')!;
    expect(shapeOf(post).bodyFields).toEqual(['items', 'productId', 'quantity']);
    const list = routes.find((route) => route.method === 'GET' && route.path === '/api/v1/products')!;
    expect(shapeOf(list).queryFields).toEqual(expect.arrayContaining(['limit', 'offset', 'q']));
  });

  it('the safety check itself fails on a 500 or a leaked stack trace (a check that cannot fail proves nothing)', () => {
    const route = routes[0];
    const answer = (statusCode: number, body: object) =>
      ({
        statusCode,
        headers: { 'content-type': 'application/problem+json; charset=utf-8' },
        body: JSON.stringify(body),
        json: () => body,
      }) as unknown as LightMyRequestResponse;
    expect(() => expectSafeAnswer(route, answer(500, { type: 'about:blank', title: 'Internal Server Error', status: 500 }))).toThrow();
    expect(() =>
      expectSafeAnswer(
        route,
        answer(400, { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'TypeError: x is undefined\n    at f (/work/main/dist/a.js:1:2)' }),
      ),
    ).toThrow();
    expect(() =>
      expectSafeAnswer(route, answer(400, { type: 'about:blank', title: 'Bad Request', status: 400, detail: 'Request validation failed' })),
    ).not.toThrow();
  });

  describe('as a customer: nothing of anyone else changes', () => {
    let before: DataSnapshot;
    beforeAll(async () => {
      before = await snapshotOthers(dataSource, mallory.id);
    });

    it.each(['GET', 'POST', 'PATCH', 'PUT', 'DELETE'])(
      'fuzzes every %s route',
      async (method) => {
        for (const route of routes.filter((candidate) => candidate.method === method)) await fuzz(route, mallory);
      },
      120_000,
    );

    it('left every row of anyone else as it was (only new registrations, and the mails and links anyone may ask for, appear)', async () => {
      // Anyone may sign up, and ask for a mail to any address (a sign-up notice, a verification or reset link, whose
      // token is made when the mail is sent): new rows there are the service doing its job. A row changed (a link
      // used, an address verified, a mail's recipient) is still a failure.
      expect(changesBetween(before, await snapshotOthers(dataSource, mallory.id), ['users', 'mail_outbox', 'account_tokens'])).toEqual([]);
    });

    it('moved stock only through whole orders: the books balance', async () => {
      const sql: Sql = { query: async (text, params) => ({ rows: await dataSource.query(text, params) }) };
      expect(await unbalancedBooks(sql, opening)).toEqual([]);
    });
  });

  describe('as an admin, who passes the role checks and reaches every validator', () => {
    it.each(['GET', 'POST', 'PATCH', 'PUT', 'DELETE'])(
      'fuzzes every %s route',
      async (method) => {
        for (const route of routes.filter((candidate) => candidate.method === method)) await fuzz(route, administrator);
      },
      120_000,
    );
  });
});

function isPublic(route: RouteEntry): boolean {
  return Boolean(Reflect.getMetadata(IS_PUBLIC, route.handler) ?? Reflect.getMetadata(IS_PUBLIC, route.controller));
}

/** No 5xx; an error is a problem body (the OAuth token endpoint has its own RFC 6749 shape) with no internals. */
function expectSafeAnswer(route: RouteEntry, response: LightMyRequestResponse): void {
  const where = `${route.method} ${route.path} → ${response.statusCode} ${response.body.slice(0, 300)}`;
  expect({ where, serverError: response.statusCode >= 500 }).toEqual({ where, serverError: false });
  if (response.statusCode < 400) return;
  // A page's own errors are pages (a refusal before its handler runs, by a guard, is a problem body like any
  // other): HTML, with nothing of the server's internals in it either.
  if (isPage(route) && response.headers['content-type'] === 'text/html; charset=utf-8') {
    expect({ where, leaks: INTERNALS.test(response.body) }).toEqual({ where, leaks: false });
    return;
  }
  const { instance: _echoedPath, ...body } = response.json<Record<string, unknown>>();
  expect({ where, leaks: INTERNALS.test(JSON.stringify(body)) }).toEqual({ where, leaks: false });
  if (isOAuthClientEndpoint(route)) {
    // Every error there, even for a body Fastify could not read, is RFC 6749 §5.2's `{ error, error_description }`.
    expect({ where, keys: Object.keys(body).sort() }).toEqual({ where, keys: ['error', 'error_description'] });
    return;
  }
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(Object.keys(body).filter((key) => !PROBLEM_FIELDS.includes(key))).toEqual([]);
}
