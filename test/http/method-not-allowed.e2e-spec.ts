import { randomUUID } from 'node:crypto';
import { listRoutes } from '../support/route-inventory';
import { LoopbackTestApp, startTestAppOnLoopback } from '../support/test-app';

const PROBLEM = 'application/problem+json; charset=utf-8';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * RFC 9110 §15.5.6: a method the target resource does not support is `405`, with an `Allow` header
 * listing those it does; `404` is for a resource that is not there at all.
 */
describe('A method a path does not take', () => {
  let t: LoopbackTestApp;
  beforeAll(async () => {
    t = await startTestAppOnLoopback({ env: { RATE_LIMIT_ANONYMOUS: '100000/60s' } });
  });
  afterAll(() => t?.close());

  it('DELETE /api/v1/products is a 405 problem that lists GET, HEAD and POST in Allow', async () => {
    expect((await t.http.send({ path: '/api/v1/products' })).status).toBe(200);
    const reply = await t.http.send({ method: 'DELETE', path: '/api/v1/products' });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, HEAD, POST');
    expect(reply.headers['content-type']).toBe(PROBLEM);
    expect(reply.json()).toEqual({
      type: 'about:blank',
      title: 'Method Not Allowed',
      status: 405,
      detail: 'DELETE is not allowed here; Allow lists the methods that are',
      instance: '/api/v1/products',
      requestId: reply.headers['x-request-id'],
    });
  });

  it('is the answer on every registered path, for every method it does not take', async () => {
    const allowed = new Map<string, Set<string>>();
    for (const route of listRoutes(t.app)) {
      const methods = allowed.get(route.path) ?? new Set<string>();
      allowed.set(route.path, methods.add(route.method));
      if (route.method === 'GET') methods.add('HEAD');
    }
    expect(allowed.size).toBeGreaterThan(20);
    for (const [path, methods] of allowed) {
      const concrete = path.replace(/:\w+/g, randomUUID());
      const allow = METHODS.filter((method) => methods.has(method)).join(', ');
      for (const method of METHODS.filter((candidate) => !methods.has(candidate))) {
        const reply = await t.http.send({ method, path: concrete });
        expect({ method, path, status: reply.status, allow: reply.headers.allow }).toEqual({ method, path, status: 405, allow });
      }
    }
  });

  it('answers HEAD like GET where GET is taken, without a body', async () => {
    const reply = await t.http.send({ method: 'HEAD', path: '/api/v1/products' });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');
  });

  it('still answers 404 for a path that is not there, whatever the method', async () => {
    for (const method of ['GET', 'DELETE']) expect((await t.http.send({ method, path: '/api/v1/nowhere' })).status).toBe(404);
  });
});
