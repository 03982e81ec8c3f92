import { startTestApp, TestApp } from '../support/test-app';
import { ownRateLimitCounters } from '../throttling/own-counters';
import { ConfigError, loadConfig } from '../../src/config/app-config';

const LISTED = 'https://shop.example';
const OTHER = 'https://evil.example';
const PRODUCTS = '/api/v1/products';

const preflight = (origin: string) => ({
  method: 'OPTIONS' as const,
  url: PRODUCTS,
  headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
});

describe('CORS (docs/http-contract.md: only the configured origins)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: `${LISTED}, https://admin.shop.example`, ...ownRateLimitCounters() } });
  });
  afterAll(() => t.close());

  it('answers a preflight from a listed origin with exactly what it may send', async () => {
    const response = await t.app.inject(preflight(LISTED));
    expect(response.statusCode).toBe(204);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': LISTED,
      'access-control-allow-methods': 'GET, POST, PATCH, DELETE',
      'access-control-allow-headers': 'Authorization, Content-Type, X-API-Key, Idempotency-Key, X-Request-Id',
      vary: expect.stringContaining('Origin'),
    });
    expect(response.headers).not.toHaveProperty('access-control-allow-credentials');
  });

  it('lets a listed origin read the response and the rate-limit and request-id headers', async () => {
    const response = await t.app.inject({ url: PRODUCTS, headers: { origin: LISTED } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(LISTED);
    const exposed = String(response.headers['access-control-expose-headers']).split(', ');
    expect(exposed).toEqual(expect.arrayContaining(['RateLimit', 'RateLimit-Policy', 'Retry-After', 'X-Request-Id']));
  });

  it('gives any other origin no Access-Control-Allow-Origin, so its browser refuses', async () => {
    for (const options of [preflight(OTHER), { url: PRODUCTS, headers: { origin: OTHER } }]) {
      const response = await t.app.inject(options);
      expect(response.headers).not.toHaveProperty('access-control-allow-origin');
    }
  });

  it('never answers with a wildcard or echoes an origin that merely contains a listed one', async () => {
    for (const origin of ['null', `${LISTED}.evil.example`, 'http://shop.example', 'https://evil.example?https://shop.example']) {
      const response = await t.app.inject({ url: PRODUCTS, headers: { origin } });
      expect(response.headers).not.toHaveProperty('access-control-allow-origin');
    }
  });
});

describe('CORS without configured origins (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: ownRateLimitCounters() });
  });
  afterAll(() => t.close());

  it('sends no CORS header at all', async () => {
    const response = await t.app.inject({ url: PRODUCTS, headers: { origin: LISTED } });
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });
});

describe('CORS_ORIGINS', () => {
  it.each(['*', 'https://*.shop.example', 'https://shop.example/', 'shop.example', 'https://shop.example/path'])('refuses %s: only exact origins', (entry) => {
    expect(() => loadConfig({ CORS_ORIGINS: entry })).toThrow(ConfigError);
    expect(() => loadConfig({ CORS_ORIGINS: entry })).toThrow('CORS_ORIGINS');
  });
});
