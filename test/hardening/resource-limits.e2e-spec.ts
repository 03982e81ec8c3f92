import type { Server } from 'node:http';
import { MAX_QUERY_PARAMETERS } from '../../src/security/hardening/query-limit';
import { startTestApp, TestApp } from '../support/test-app';
import { ownRateLimitCounters } from '../throttling/own-counters';

const query = (count: number, name = (i: number) => `p${i}`) => Array.from({ length: count }, (_, i) => `${name(i)}=1`).join('&');

describe('Resource limits (OWASP API4)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: ownRateLimitCounters() });
  });
  afterAll(() => t.close());

  describe(`at most ${MAX_QUERY_PARAMETERS} query parameters`, () => {
    // Unknown parameters are a 400 of their own (docs/http-contract.md), so only the status's reason tells them apart.
    it(`takes ${MAX_QUERY_PARAMETERS} to validation, which judges them one by one`, async () => {
      const response = await t.app.inject({ url: `/api/v1/products?${query(MAX_QUERY_PARAMETERS)}` });
      expect(response.statusCode).toBe(400);
      expect(response.json().detail).not.toMatch(/query parameters are allowed/);
    });

    it(`refuses ${MAX_QUERY_PARAMETERS + 1} before any validation or handler runs`, async () => {
      const response = await t.app.inject({ url: `/api/v1/products?${query(MAX_QUERY_PARAMETERS + 1)}` });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ detail: `At most ${MAX_QUERY_PARAMETERS} query parameters are allowed` });
    });

    it('counts repeats of one name', async () => {
      const response = await t.app.inject({ url: `/api/v1/products?${query(MAX_QUERY_PARAMETERS + 1, () => 'limit')}` });
      expect(response.json()).toMatchObject({ status: 400, detail: `At most ${MAX_QUERY_PARAMETERS} query parameters are allowed` });
    });

    it('applies to routes that take none, and to unknown paths', async () => {
      for (const url of [`/health/live?${query(MAX_QUERY_PARAMETERS + 1)}`, `/nowhere?${query(MAX_QUERY_PARAMETERS + 1)}`]) {
        expect((await t.app.inject({ url })).statusCode).toBe(400);
      }
    });
  });

  it('refuses a body over 100 KiB with 413', async () => {
    const payload = JSON.stringify({ name: 'x'.repeat(100 * 1024) });
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/products', headers: { 'content-type': 'application/json' }, payload });
    expect(response.statusCode).toBe(413);
  });

  it('bounds how long a connection and a request may take', () => {
    const server: Server = t.app.getHttpServer();
    // The whole request, headers included: a client trickling its headers (slowloris) is cut off too.
    expect(server.requestTimeout).toBe(30_000);
    expect(server.headersTimeout).toBe(10_000); // the request line and headers (test/hardening/slow-clients: enforced on time)
    expect(server.timeout).toBe(60_000); // a socket with no traffic at all
    expect(server.keepAliveTimeout).toBe(5_000); // an idle connection between two requests
  });
});
