import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { generateApiKey } from '../../src/api-keys/api-key-format';
import { ApiKeyLookup } from '../../src/api-keys/api-key-lookup';
import { bearer, login, manyLoginsEnv } from '../support/auth';
import { customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';
import { ownRateLimitCounters } from './own-counters';

const LIMIT = 5;
const PRODUCTS = '/api/v1/products';

describe('General rate limits (docs/http-contract.md, Rate limits)', () => {
  let t: TestApp;
  // Each test is its own client: a fresh address means a fresh bucket in the same app.
  let nextHost = 1;
  const newClientIp = () => `198.51.100.${nextHost++}`;

  const get = (remoteAddress: string, options: InjectOptions = {}) => t.app.inject({ url: PRODUCTS, remoteAddress, ...options });
  const spend = async (remoteAddress: string, times: number, options: InjectOptions = {}) => {
    for (let i = 0; i < times; i++) expect((await get(remoteAddress, options)).statusCode).toBe(200);
  };

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_ANONYMOUS: `${LIMIT}/60s`, ...ownRateLimitCounters() } });
  });
  afterAll(() => t.close());

  it(`lets exactly ${LIMIT} of ${LIMIT + 1} simultaneous requests through`, async () => {
    const ip = newClientIp();
    const responses = await Promise.all(Array.from({ length: LIMIT + 1 }, () => get(ip)));
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(200), 429]);
  });

  it('announces the policy on every response and counts down to a 429 problem with Retry-After', async () => {
    const ip = newClientIp();
    for (let remaining = LIMIT - 1; remaining >= 0; remaining--) {
      const response = await get(ip);
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-policy']).toBe(`"anonymous";q=${LIMIT};w=60`);
      expect(response.headers['ratelimit']).toMatch(new RegExp(`^"anonymous";r=${remaining};t=([1-9]|[1-5][0-9]|60)$`));
    }
    const refused = await get(ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(refused.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.headers['ratelimit']).toMatch(/^"anonymous";r=0;t=\d+$/);
  });

  it('counts a caller across every route, not per route', async () => {
    const ip = newClientIp();
    await spend(ip, LIMIT - 1);
    expect((await get(ip, { url: `${PRODUCTS}/${randomUUID()}` })).statusCode).toBe(404);
    expect((await get(ip)).statusCode).toBe(429);
  });

  it('keeps callers apart: one client over its limit does not limit another', async () => {
    const greedy = newClientIp();
    await spend(greedy, LIMIT);
    expect((await get(greedy)).statusCode).toBe(429);
    expect((await get(newClientIp())).statusCode).toBe(200);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const ip = newClientIp();
    await spend(ip, LIMIT);
    const spoofed = await get(ip, { headers: { 'x-forwarded-for': newClientIp() } });
    expect(spoofed.statusCode).toBe(429);
  });

  it('counts a request that carries a credential once, not once per guard', async () => {
    // Public routes do not authenticate, so this request has no principal: it spends the IP's
    // anonymous quota, in the guard after authentication only.
    const ip = newClientIp();
    const withToken = { headers: { authorization: 'Bearer not-checked-on-public-routes' } };
    for (let remaining = LIMIT - 1; remaining >= 0; remaining--) {
      expect((await get(ip, withToken)).headers['ratelimit']).toMatch(new RegExp(`^"anonymous";r=${remaining};`));
    }
    expect((await get(ip, withToken)).statusCode).toBe(429);
  });

  it('does not limit health checks or the docs', async () => {
    const ip = newClientIp();
    await spend(ip, LIMIT);
    expect((await get(ip)).statusCode).toBe(429);
    for (const url of ['/health/live', '/docs', '/docs/openapi.json']) {
      const response = await get(ip, { url });
      expect(response.statusCode).toBe(200);
      expect(response.headers).not.toHaveProperty('ratelimit');
    }
  });

  describe('behind a trusted proxy', () => {
    const PROXY = '10.0.0.2';
    let proxied: TestApp;
    const viaProxy = (forwardedFor: string) => proxied.app.inject({ url: PRODUCTS, remoteAddress: PROXY, headers: { 'x-forwarded-for': forwardedFor } });

    beforeAll(async () => {
      proxied = await startTestApp({ env: { RATE_LIMIT_ANONYMOUS: `${LIMIT}/60s`, TRUSTED_PROXIES: `${PROXY}/32`, ...ownRateLimitCounters() } });
    });
    afterAll(() => proxied.close());

    it('limits each client the proxy names, not the proxy', async () => {
      for (let i = 0; i < LIMIT; i++) expect((await viaProxy('203.0.113.1')).statusCode).toBe(200);
      expect((await viaProxy('203.0.113.1')).statusCode).toBe(429);
      expect((await viaProxy('203.0.113.2')).statusCode).toBe(200);
    });

    it('believes only the address the proxy itself appended, not one the client wrote before it', async () => {
      for (let i = 0; i < LIMIT; i++) expect((await viaProxy('203.0.113.3')).statusCode).toBe(200);
      expect((await viaProxy('203.0.113.4, 203.0.113.3')).statusCode).toBe(429);
    });
  });

  describe('authenticated callers, per principal', () => {
    const QUOTA = 3;
    let authed: TestApp;
    const me = (accessToken: string, remoteAddress = '192.0.2.10') =>
      authed.app.inject({ url: '/api/v1/users/me', headers: bearer(accessToken), remoteAddress });
    const spendQuota = async (accessToken: string) => {
      for (let i = 0; i < QUOTA; i++) expect((await me(accessToken)).statusCode).toBe(200);
    };

    beforeAll(async () => {
      authed = await startTestApp({ env: { ...manyLoginsEnv(), RATE_LIMIT_AUTHENTICATED: `${QUOTA}/60s` } });
    });
    afterAll(() => authed.close());

    it('spend the principal\'s own quota, announced as the "authenticated" policy', async () => {
      const { tokens } = await customer(authed.app);
      for (let remaining = QUOTA - 1; remaining >= 0; remaining--) {
        const response = await me(tokens.accessToken);
        expect(response.statusCode).toBe(200);
        expect(response.headers['ratelimit-policy']).toBe(`"authenticated";q=${QUOTA};w=60`);
        expect(response.headers['ratelimit']).toMatch(new RegExp(`^"authenticated";r=${remaining};t=\\d+$`));
      }
      const refused = await me(tokens.accessToken);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    });

    it('cannot start afresh with a new token: the quota belongs to the user, not to the token', async () => {
      const account = await customer(authed.app);
      await spendQuota(account.tokens.accessToken);
      const fresh = await login(authed.app, account);
      expect((await me(fresh.accessToken)).statusCode).toBe(429);
    });

    it('follow the principal from any address, and keep principals apart', async () => {
      const first = await customer(authed.app);
      await spendQuota(first.tokens.accessToken);
      expect((await me(first.tokens.accessToken, '192.0.2.99')).statusCode).toBe(429);
      const second = await customer(authed.app);
      expect((await me(second.tokens.accessToken)).statusCode).toBe(200);
    });
  });

  describe('refused credentials', () => {
    const ME = '/api/v1/users/me';
    const madeUpKey = () => ({ 'x-api-key': generateApiKey('user', 'test').key });
    afterEach(() => jest.restoreAllMocks());

    it("count against the client IP's anonymous quota; past it, no credential from there is even checked", async () => {
      const { tokens } = await customer(t.app);
      const attacker = newClientIp();
      const lookups = jest.spyOn(t.app.get(ApiKeyLookup), 'principalFor');
      // Keys in the right format with a valid checksum: each one costs a database lookup.
      for (let i = 1; i <= LIMIT; i++) {
        const response = await get(attacker, { url: ME, headers: madeUpKey() });
        expect(response.statusCode).toBe(401);
        expect(response.headers['ratelimit']).toMatch(new RegExp(`^"anonymous";r=${LIMIT - i};t=\\d+$`));
      }
      expect(lookups).toHaveBeenCalledTimes(LIMIT);
      const over = await get(attacker, { url: ME, headers: madeUpKey() });
      expect(over.statusCode).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);

      // Blocked: refused before any check, whatever the credential, even a valid one.
      expect((await get(attacker, { url: ME, headers: madeUpKey() })).statusCode).toBe(429);
      expect((await get(attacker, { url: ME, headers: bearer('not-a-token') })).statusCode).toBe(429);
      expect((await get(attacker, { url: ME, headers: bearer(tokens.accessToken) })).statusCode).toBe(429);
      expect(lookups).toHaveBeenCalledTimes(LIMIT + 1);

      // Another address is untouched: its valid token works, its bad credentials are 401s.
      const neighbour = newClientIp();
      expect((await get(neighbour, { url: ME, headers: bearer(tokens.accessToken) })).statusCode).toBe(200);
      expect((await get(neighbour, { url: ME, headers: madeUpKey() })).statusCode).toBe(401);
    });

    it("leave an address's authenticated callers alone while they are accepted", async () => {
      const { tokens } = await customer(t.app);
      const ip = newClientIp();
      for (let i = 0; i < LIMIT * 2; i++) {
        expect((await get(ip, { url: ME, headers: bearer(tokens.accessToken) })).statusCode).toBe(200);
      }
    });
  });

  describe('an address whose anonymous quota is spent', () => {
    let small: TestApp;
    beforeAll(async () => {
      small = await startTestApp({ env: { RATE_LIMIT_ANONYMOUS: '2/60s', ...ownRateLimitCounters() } });
    });
    afterAll(() => small.close());

    it('still serves its authenticated callers, who are counted per principal', async () => {
      const { tokens } = await customer(small.app); // two anonymous requests: the whole quota
      expect((await small.app.inject({ url: PRODUCTS })).statusCode).toBe(429);
      const response = await small.app.inject({ url: '/api/v1/users/me', headers: bearer(tokens.accessToken) });
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit']).toMatch(/^"authenticated";/);
    });
  });
});
