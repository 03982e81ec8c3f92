import { DataSource } from 'typeorm';
import type { ProblemBody } from '../../src/common/http/problem';
import { insertProduct } from '../support/fixtures';
import { admin, customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';
import { PRODUCTION_PUBLIC_URL } from '../support/forge-token';

const PROBLEM = 'application/problem+json; charset=utf-8';

/** docs/http-contract.md "General rules" and "Errors", checked over the real HTTP stack. */
describe('HTTP contract', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(() => testApp.close());

  const post = (payload: string | Buffer, contentType = 'application/json') =>
    testApp.app.inject({ method: 'POST', url: '/api/v1/products', headers: { 'content-type': contentType }, payload });

  function expectProblem(response: { statusCode: number; headers: Record<string, unknown>; json(): ProblemBody }, status: number) {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toBe(PROBLEM);
    const body = response.json();
    expect(body).toMatchObject({ type: 'about:blank', status, requestId: response.headers['x-request-id'] });
    expect(typeof body.title).toBe('string');
    expect(JSON.stringify(body)).not.toMatch(/node_modules|\.ts:|at \w+ \(|Error:|QueryFailed|SELECT /);
    return body;
  }

  it('answers an unknown route with a 404 problem', async () => {
    const body = expectProblem(await testApp.app.inject({ method: 'GET', url: '/api/v1/nope?x=1' }), 404);
    expect(body.instance).toBe('/api/v1/nope');
  });

  it('refuses a body over 100 KiB with 413', async () => {
    expectProblem(await post(JSON.stringify({ name: 'x'.repeat(101 * 1024) })), 413);
  });

  it('accepts a body just under the limit as far as parsing goes (then authentication answers)', async () => {
    expect((await post(JSON.stringify({ name: 'x'.repeat(99 * 1024) }))).statusCode).toBe(401);
  });

  it.each(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'refuses content type %s with 415',
    async (type) => {
      expectProblem(await post('a=b', type), 415);
    },
  );

  it.each([
    ['malformed JSON', '{"sku": '],
    ['an empty body', ''],
    ['__proto__ keys', '{"sku":"A","__proto__":{"admin":true}}'],
    ['nested __proto__ keys', '{"items":[{"__proto__":{"x":1}}]}'],
    ['constructor.prototype keys', '{"constructor":{"prototype":{"admin":true}}}'],
    ['U+0000 in a string', '{"name":"a\\u0000b"}'],
    ['U+0000 in a nested string', '{"items":[{"name":["ok","\\u0000"]}]}'],
    ['U+0000 in a key', '{"na\\u0000me":"x"}'],
  ])('refuses %s with 400', async (_, payload) => {
    expectProblem(await post(payload), 400);
  });

  it('refuses %00 in a path or query with 400', async () => {
    expectProblem(await testApp.app.inject({ method: 'GET', url: '/api/v1/products?q=a%00b' }), 400);
    expectProblem(await testApp.app.inject({ method: 'GET', url: '/api/v1/products/%00' }), 400);
  });

  it('lists every failing field of a validation error', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/api/v1/products?limit=0&offset=-5&extra=1' });
    const body = expectProblem(response, 400);
    expect(body.errors?.map((error) => error.field).sort()).toEqual(['extra', 'limit', 'offset']);
  });

  it('refuses null for a field that may be left out: 400 naming it, where absent is accepted', async () => {
    const [user, root] = [await customer(testApp.app), await admin(testApp.app)];
    const product = await insertProduct(testApp.app.get(DataSource));
    const cases = [
      { method: 'PATCH', url: '/api/v1/users/me', headers: user.headers, payload: { name: null }, field: 'name' },
      { method: 'PATCH', url: `/api/v1/products/${product.id}`, headers: root.headers, payload: { name: null }, field: 'name' },
      { method: 'PATCH', url: `/api/v1/products/${product.id}`, headers: root.headers, payload: { active: null }, field: 'active' },
      { method: 'POST', url: '/api/v1/api-keys', headers: user.headers, payload: { name: 'script', scopes: null }, field: 'scopes' },
    ] as const;
    for (const { field, ...request } of cases) {
      const body = expectProblem(await testApp.app.inject(request), 400);
      expect(body.errors?.map((error) => error.field)).toContain(field);
    }
    expect((await testApp.app.inject({ method: 'PATCH', url: '/api/v1/users/me', headers: user.headers, payload: {} })).statusCode).toBe(200);
    expect((await testApp.app.inject({ method: 'PATCH', url: `/api/v1/products/${product.id}`, headers: root.headers, payload: {} })).statusCode).toBe(200);
  });

  it('refuses query parameters on a route that takes none', async () => {
    expectProblem(await testApp.app.inject({ method: 'GET', url: '/health/live?verbose=1' }), 400);
  });

  describe('X-Request-Id', () => {
    // A client's id is never taken as the server's (test/http/request-id.e2e-spec.ts; decision record 0017).
    it('answers with an id of its own, even to a well-formed incoming one', async () => {
      const response = await testApp.app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': 'trace-123.abc' } });
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it.each(['has spaces', 'x'.repeat(129), '<script>', 'a\tb'])('replaces a malformed one (%s) with a UUID', async (incoming) => {
      const response = await testApp.app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': incoming } });
      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it('is on error responses too, matching the body', async () => {
      const response = await testApp.app.inject({ method: 'GET', url: '/api/v1/products/bad' });
      expect(expectProblem(response, 400).requestId).toBe(response.headers['x-request-id']);
    });
  });

  describe('health', () => {
    it('live and ready answer 200 {"status":"ok"} and reveal nothing else', async () => {
      for (const url of ['/health/live', '/health/ready']) {
        const response = await testApp.app.inject({ method: 'GET', url });
        expect(response.statusCode).toBe(200);
        expect(response.json()).toEqual({ status: 'ok' });
      }
    });
  });

  describe('docs', () => {
    it('serves the OpenAPI document outside production', async () => {
      const response = await testApp.app.inject({ method: 'GET', url: '/docs/openapi.json' });
      expect(response.statusCode).toBe(200);
      expect(response.json().paths).toHaveProperty(['/api/v1/products/{id}']);
      expect((await testApp.app.inject({ method: 'GET', url: '/docs' })).statusCode).toBe(200);
      // Only the one documented URL: no YAML twin.
      expect((await testApp.app.inject({ method: 'GET', url: '/docs-yaml' })).statusCode).toBe(404);
    });

    it('is off in production', async () => {
      const production = await startTestApp({ env: { NODE_ENV: 'production', PUBLIC_URL: PRODUCTION_PUBLIC_URL, TRUSTED_PROXIES: '127.0.0.1/32' } });
      try {
        for (const url of ['/docs', '/docs/openapi.json']) {
          expect((await production.app.inject({ method: 'GET', url, headers: { 'x-forwarded-proto': 'https' } })).statusCode).toBe(404);
        }
      } finally {
        await production.close();
      }
    });
  });
});
