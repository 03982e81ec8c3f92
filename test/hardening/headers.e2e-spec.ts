import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { bearer } from '../support/auth';
import { customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';
import { ownRateLimitCounters } from '../throttling/own-counters';

/** docs/http-contract.md, Response headers (HSTS is production-only: see https-only.e2e-spec). */
const ON_EVERY_RESPONSE = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'permissions-policy': 'geolocation=(), camera=(), microphone=()',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

function expectContractHeaders(response: LightMyRequestResponse): void {
  expect(response.headers).toMatchObject(ON_EVERY_RESPONSE);
  expect(response.headers).not.toHaveProperty('x-powered-by');
  expect(response.headers).not.toHaveProperty('server');
}

describe('Security headers (docs/http-contract.md, Response headers)', () => {
  let t: TestApp;
  const request = (options: InjectOptions) => t.app.inject(options);

  beforeAll(async () => {
    t = await startTestApp({ env: ownRateLimitCounters() });
  });
  afterAll(() => t.close());

  const cases: Array<[string, InjectOptions, number]> = [
    ['a public response', { url: '/api/v1/products' }, 200],
    ['an error response', { url: '/api/v1/products/not-a-uuid' }, 400],
    ['a refused request to an authenticated route', { method: 'POST', url: '/api/v1/products', payload: {} }, 401],
    [
      'a response to a request with a credential',
      { method: 'POST', url: '/api/v1/products', payload: {}, headers: { authorization: 'Bearer some.access.token' } },
      401,
    ],
    ['a health check', { url: '/health/live' }, 200],
  ];

  it.each(cases)('are all on %s', async (_name, options, status) => {
    const response = await request(options);
    expect(response.statusCode).toBe(status);
    expectContractHeaders(response);
    expect(response.headers).not.toHaveProperty('strict-transport-security');
  });

  it('are all on an authenticated response, which no cache may store', async () => {
    const { tokens } = await customer(t.app);
    const response = await request({ url: '/api/v1/users/me', headers: bearer(tokens.accessToken) });
    expect(response.statusCode).toBe(200);
    expectContractHeaders(response);
    expect(response.headers['cache-control']).toBe('no-store');
  });

  describe('Cache-Control: no-store', () => {
    it('is on every response to a request that carried a credential, and on every error', async () => {
      for (const options of [cases[1][1], cases[2][1], cases[3][1]]) {
        expect((await request(options)).headers['cache-control']).toBe('no-store');
      }
    });

    it('is on a public success only when it carried a credential', async () => {
      expect((await request({ url: '/api/v1/products' })).headers).not.toHaveProperty('cache-control');
      const withKey = await request({ url: '/api/v1/products', headers: { 'x-api-key': 'sk_test_whatever' } });
      expect(withKey.statusCode).toBe(200);
      expect(withKey.headers['cache-control']).toBe('no-store');
    });
  });

  describe('the docs page', () => {
    it('gets a CSP that lets the OpenAPI UI load its own files, and nothing from elsewhere', async () => {
      const page = await request({ url: '/docs' });
      expect(page.statusCode).toBe(200);
      const csp = directives(page.headers['content-security-policy'] as string);
      expect(csp).toEqual({
        'default-src': "'none'",
        'script-src': "'self'",
        'style-src': "'self' 'unsafe-inline'",
        'img-src': "'self' data:",
        'connect-src': "'self'",
        'base-uri': "'none'",
        'form-action': "'none'",
        'frame-ancestors': "'none'",
      });
      expect(page.headers).toMatchObject({ 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff' });
    });

    it("loads every script, stylesheet and icon from this origin, so 'self' is enough", async () => {
      const html = (await request({ url: '/docs' })).body;
      const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
      expect(assets.length).toBeGreaterThanOrEqual(4);
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/); // no inline script: script-src stays 'self'
      for (const asset of assets) {
        const url = new URL(asset, 'http://self.test/docs');
        expect(url.origin).toBe('http://self.test');
        expect((await request({ url: url.pathname })).statusCode).toBe(200);
      }
    });

    it('keeps the strict CSP on the API beside it', async () => {
      expect((await request({ url: '/api/v1/products' })).headers['content-security-policy']).toBe(ON_EVERY_RESPONSE['content-security-policy']);
    });
  });
});

function directives(policy: string): Record<string, string> {
  return Object.fromEntries(
    policy.split(';').map((directive) => {
      const [name, ...values] = directive.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );
}
