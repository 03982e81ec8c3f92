import { gzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { manyLoginsEnv } from '../support/auth';
import { serviceClient, withApiKey } from '../support/api-keys';
import { insertProduct, insertUser } from '../support/fixtures';
import { HttpReply } from '../support/http-client';
import { admin, Caller, customer } from '../support/principals';
import { isOAuthClientEndpoint, isPage, listRoutes, readsBody } from '../support/route-inventory';
import { LoopbackTestApp, startTestAppOnLoopback } from '../support/test-app';

/** Names every JavaScript object inherits: a body or query key with one of them is still just a key. */
const INHERITED_NAMES = ['toString', 'constructor', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

/**
 * Bodies and queries built to slip past the checks (issue 15), sent over real sockets: keys named
 * like Object.prototype members, duplicate keys, encodings the service does not read, and bodies
 * made to cost far more to refuse than to send.
 */
describe('Hostile input over HTTP', () => {
  let t: LoopbackTestApp;
  let shopper: Caller;
  let root: Caller;
  let productId: string;
  const order = () => ({ items: [{ productId, quantity: 1 }] });

  beforeAll(async () => {
    t = await startTestAppOnLoopback({ env: { ...manyLoginsEnv(), RATE_LIMIT_AUTHENTICATED: '100000/60s' } });
    [shopper, root] = [await customer(t.app), await admin(t.app)];
    productId = (await insertProduct(t.app.get(DataSource), { stock: 1_000 })).id;
  });
  afterAll(() => t?.close());

  const placeOrder = (payload: string | Buffer, headers: Record<string, string> = {}) =>
    t.http.send({ method: 'POST', path: '/api/v1/orders', token: shopper.tokens.accessToken, payload, headers });

  it('places a well-formed order (so each refusal below is about what was added)', async () => {
    expect((await placeOrder(JSON.stringify(order()))).status).toBe(201);
  });

  describe('a key named like an Object.prototype member is an unknown field', () => {
    it.each(INHERITED_NAMES)('%s: 400 at the top of POST /orders and inside items[]', async (name) => {
      const top = await placeOrder(JSON.stringify({ ...order(), [name]: 'x' }));
      expect(fieldErrors(top)).toEqual([`${name}: property ${name} should not exist`]);
      const nested = await placeOrder(JSON.stringify({ items: [{ productId, quantity: 1, [name]: 'x' }] }));
      expect(fieldErrors(nested)).toEqual([`items.0.${name}: property ${name} should not exist`]);
    });

    it.each(INHERITED_NAMES)('%s: 400 as a query parameter, like any unknown parameter', async (name) => {
      expect((await t.http.send({ path: '/api/v1/products' })).status).toBe(200);
      const reply = await t.http.send({ path: `/api/v1/products?${name}=1` });
      expect(fieldErrors(reply)).toEqual([`${name}: property ${name} should not exist`]);
    });

    it('gets on every write route that reads a body the answer an ordinary unknown field gets', async () => {
      const ids = await fixtureIds();
      // RFC 6749 §3.2: the token, revocation and introspection endpoints ignore parameters they do not know, whatever their name. Pages take
      // HTML forms, not JSON bodies (their tests: test/oauth/authorization-code-attacks.e2e-spec.ts).
      const routes = listRoutes(t.app).filter(
        (route) => ['POST', 'PATCH', 'PUT'].includes(route.method) && readsBody(route) && !isOAuthClientEndpoint(route) && !isPage(route),
      );
      expect(routes.length).toBeGreaterThan(15);
      for (const route of routes) {
        const family = route.path.split('/')[3];
        // A new family of :id routes needs an object below, or it would only ever answer "malformed id".
        expect({ route: route.path, id: route.path.includes(':id') ? typeof ids[family] : 'none' }).toEqual({
          route: route.path,
          id: route.path.includes(':id') ? 'string' : 'none',
        });
        const path = route.path.replace(':id', ids[family]);
        const answer = async (key: string) =>
          asUnknownField(await t.http.send({ method: route.method, path, token: root.tokens.accessToken, body: { [key]: 'x' } }), key);
        const ordinary = await answer('notAField');
        expect({ route: route.path, ...ordinary }).toMatchObject({ route: route.path, status: 400 });
        for (const name of INHERITED_NAMES) expect({ route: route.path, ...(await answer(name)) }).toEqual({ route: route.path, ...ordinary });
      }
    });
  });

  describe('a body read in one way only', () => {
    it('refuses duplicate keys, at any depth and however a key is escaped', async () => {
      const [a, b] = [JSON.stringify([{ productId, quantity: 1 }]), JSON.stringify([{ productId, quantity: 100 }])];
      for (const payload of [
        `{"items":${a},"items":${b}}`,
        `{"items":${a},"\\u0069tems":${b}}`,
        `{"items":[{"productId":"${productId}","quantity":1,"quantity":100}]}`,
      ]) {
        const reply = await placeOrder(payload);
        expect({ payload, status: reply.status }).toEqual({ payload, status: 400 });
        expect(reply.json().detail).toBe('Request body names a key twice');
      }
    });

    it('refuses duplicate keys at the token endpoint too, in its RFC 6749 §5.2 shape', async () => {
      const reply = await t.http.send({ method: 'POST', path: '/api/v1/oauth/token', payload: '{"grant_type":"client_credentials","grant_type":"password"}' });
      expect(reply.status).toBe(400);
      expect(reply.json()).toEqual({ error: 'invalid_request', error_description: 'Request body names a key twice' });
    });

    it('refuses a UTF-8 byte order mark (RFC 8259 §8.1: a JSON text never starts with one)', async () => {
      const reply = await placeOrder(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(order()))]));
      expect(reply.status).toBe(400);
      expect(reply.json().detail).toBe('Request body starts with a byte order mark');
    });

    it('refuses bytes that are not UTF-8 instead of replacing them', async () => {
      const latin1 = Buffer.from(JSON.stringify({ email: 'latin1@example.com', password: 'correct-horse-battery', name: 'Zoë' }), 'latin1');
      const reply = await t.http.send({ method: 'POST', path: '/api/v1/auth/register', payload: latin1 });
      expect(reply.status).toBe(400);
      expect(reply.json().detail).toBe('Request body is not valid UTF-8');
    });

    it('reads charset=utf-8 in any case, and refuses any other charset with 415', async () => {
      for (const charset of ['utf-8', 'UTF-8', '"utf-8"']) {
        expect((await placeOrder(JSON.stringify(order()), { 'content-type': `application/json; charset=${charset}` })).status).toBe(201);
      }
      for (const charset of ['iso-8859-1', 'utf-16', 'utf8']) {
        const reply = await placeOrder(JSON.stringify(order()), { 'content-type': `application/json; charset=${charset}` });
        expect({ charset, status: reply.status, detail: reply.json().detail }).toEqual({ charset, status: 415, detail: 'Unsupported charset: send UTF-8' });
      }
    });

    it('refuses a Content-Encoding it does not decode with 415 and Accept-Encoding: identity (RFC 9110 §12.5.3)', async () => {
      const text = JSON.stringify(order());
      for (const [coding, payload] of [
        ['gzip', gzipSync(text)],
        ['gzip', text],
        ['br', text],
        ['identity, gzip', text],
      ] as const) {
        const reply = await placeOrder(payload, { 'content-encoding': coding });
        expect({ coding, status: reply.status, accepts: reply.headers['accept-encoding'] }).toEqual({ coding, status: 415, accepts: 'identity' });
      }
      expect((await placeOrder(text, { 'content-encoding': 'identity' })).status).toBe(201);
    });
  });

  describe('refusing costs little', () => {
    const unknownKeys = (count: number) => JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 1])));

    it('refuses an object with more keys than any route reads before validating any of them', async () => {
      const reply = await t.http.send({ method: 'POST', path: '/api/v1/auth/register', payload: unknownKeys(9_000) });
      expect(reply.status).toBe(400);
      expect(reply.json().detail).toBe('An object in the request body has more than 64 keys');
      expect(reply.text.length).toBeLessThan(1_024);
    });

    it('lists the first 10 failing fields and says how many more there were', async () => {
      const account = { email: 'sixty-keys@example.com', password: 'correct-horse-battery', name: 'Sixty' };
      const payload = JSON.stringify({ ...account, ...JSON.parse(unknownKeys(60)) });
      const reply = await t.http.send({ method: 'POST', path: '/api/v1/auth/register', payload });
      const body = reply.json<{ detail: string; errors: unknown[] }>();
      expect(reply.status).toBe(400);
      expect(body.errors).toHaveLength(10);
      expect(body.detail).toBe('Request validation failed: 50 more errors not listed');
    });
  });

  /** One id per :id route family, each an object the admin may act on (so the route gets past its policy). */
  async function fixtureIds(): Promise<Record<string, string>> {
    const dataSource = t.app.get(DataSource);
    const placed = (await placeOrder(JSON.stringify(order()))).json<{ id: string }>();
    return {
      orders: placed.id,
      products: productId,
      users: (await insertUser(dataSource)).id,
      'api-keys': (await withApiKey(t.app, root)).apiKey.id,
      'service-clients': (await serviceClient(t.app, root, ['orders:read'])).id,
    };
  }
});

/** A validation problem's `errors` as `field: message` lines. */
function fieldErrors(reply: HttpReply): string[] {
  expect(reply.status).toBe(400);
  return (reply.json().errors as Array<{ field: string; message: string }>).map((error) => `${error.field}: ${error.message}`);
}

/** Status, detail and errors of an answer, with the one key sent replaced by `<key>`, for comparing answers. */
function asUnknownField(reply: HttpReply, key: string): { status: number; detail: string; errors: string[] } {
  const body = reply.json<{ detail: string; errors?: Array<{ field: string; message: string }> }>();
  const errors = (body.errors ?? []).map((error) => `${error.field}: ${error.message}`.split(key).join('<key>')).sort();
  return { status: reply.status, detail: body.detail, errors };
}
