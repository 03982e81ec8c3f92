import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { bearer, login, loginRequest, register, uniqueEmail } from '../support/auth';
import { startTestApp, TestApp } from '../support/test-app';
import argon2 = require('argon2');

/**
 * A client of its own, sent through a trusted proxy: an address in a /64 of its own (limits count an
 * IPv6 client per /64), from the documentation range (RFC 3849).
 */
const newClient = (): Record<string, string> => ({ 'x-forwarded-for': `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}::1` });

/** Headers that must match between two failures: all but the date and the request id. */
function comparableHeaders(response: LightMyRequestResponse): Record<string, unknown> {
  const { date: _date, 'x-request-id': _requestId, ...headers } = response.headers;
  return headers;
}

describe('Login failures and limits (docs/http-contract.md, Auth and Rate limits)', () => {
  let testApp: TestApp;
  const app = () => testApp.app;

  beforeAll(async () => {
    testApp = await startTestApp({
      env: { TRUSTED_PROXIES: '127.0.0.1', RATE_LIMIT_ANONYMOUS: '100000/60s', RATE_LIMIT_LOGIN_IP: '5/900s', RATE_LIMIT_LOGIN_EMAIL: '3/900s' },
    });
  });
  afterAll(() => testApp.close());
  afterEach(() => jest.restoreAllMocks());

  describe('unknown email and wrong password', () => {
    it('answer identically: status, headers and body', async () => {
      const account = await register(app());
      const wrongPassword = await loginRequest(app(), account.email, 'not the password', newClient());
      const unknownEmail = await loginRequest(app(), uniqueEmail('nobody'), 'not the password', newClient());

      expect(wrongPassword.statusCode).toBe(401);
      expect(comparableHeaders(unknownEmail)).toEqual(comparableHeaders(wrongPassword));
      const { requestId: _a, ...wrongBody } = wrongPassword.json<Record<string, unknown>>();
      const { requestId: _b, ...unknownBody } = unknownEmail.json<Record<string, unknown>>();
      expect(unknownBody).toEqual(wrongBody);
      expect(wrongBody).toEqual({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        detail: 'Invalid email or password',
        instance: '/api/v1/auth/login',
      });
    });

    it('cost the same: one argon2id verification with the same parameters', async () => {
      const account = await register(app());
      const verify = jest.spyOn(argon2, 'verify');
      await loginRequest(app(), account.email, 'not the password', newClient());
      await loginRequest(app(), uniqueEmail('nobody'), 'not the password', newClient());
      expect(verify).toHaveBeenCalledTimes(2);
      const parameters = verify.mock.calls.map(([hash]) => hash.split('$').slice(1, 4).join('$'));
      expect(parameters[0]).toBe('argon2id$v=19$m=19456,p=1,t=2');
      expect(parameters[1]).toBe(parameters[0]);
    });
  });

  describe('per email (failures, whether or not the account exists)', () => {
    it('throttles an email that has no account', async () => {
      const email = uniqueEmail('nobody');
      for (const remaining of [2, 1, 0]) {
        const response = await loginRequest(app(), email, 'guess number n', newClient());
        expect(response.statusCode).toBe(401);
        expect(response.headers['ratelimit']).toContain(`"login-email";r=${remaining};t=900`);
      }
      const blocked = await loginRequest(app(), email, 'guess number n', newClient());
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(890);
      expect(blocked.headers['ratelimit-policy']).toContain('"login-email";q=3;w=900');
      expect(blocked.json()).toMatchObject({ status: 429, title: 'Too Many Requests' });
    });

    it('then refuses even the right password, and a success before that forgets the failures', async () => {
      const account = await register(app());
      for (let i = 0; i < 2; i++) await loginRequest(app(), account.email, 'wrong password!', newClient());
      expect((await loginRequest(app(), account.email, account.password, newClient())).statusCode).toBe(200);
      for (let i = 0; i < 3; i++) expect((await loginRequest(app(), account.email, 'wrong password!', newClient())).statusCode).toBe(401);
      expect((await loginRequest(app(), account.email, account.password, newClient())).statusCode).toBe(429);
    });

    it('counts wrong current passwords at password change too', async () => {
      const account = await register(app());
      const { accessToken } = await login(app(), account);
      const change = () =>
        app().inject({
          method: 'POST',
          url: '/api/v1/auth/password',
          headers: { ...bearer(accessToken), ...newClient() },
          payload: { currentPassword: 'a wrong guess', newPassword: 'attacker password' },
        });
      for (let i = 0; i < 3; i++) expect((await change()).statusCode).toBe(403);
      const blocked = await change();
      expect(blocked.statusCode).toBe(429);
      expect(blocked.headers['retry-after']).toBeDefined();
      expect((await loginRequest(app(), account.email, account.password, newClient())).statusCode).toBe(429);
    });
  });

  describe('per client IP (attempts)', () => {
    it('counts an IPv6 client per /64, so it cannot rotate addresses', async () => {
      const prefix = newClient()['x-forwarded-for'].replace(/::1$/, '');
      for (let i = 1; i <= 5; i++) await loginRequest(app(), uniqueEmail(), 'whatever it is', { 'x-forwarded-for': `${prefix}::${i}` });
      expect((await loginRequest(app(), uniqueEmail(), 'whatever it is', { 'x-forwarded-for': `${prefix}::ffff` })).statusCode).toBe(429);
    });

    it('allows the quota of attempts, then 429 with Retry-After, for that address only', async () => {
      const account = await register(app());
      const client = newClient();
      for (let remaining = 4; remaining >= 0; remaining--) {
        const response = await loginRequest(app(), uniqueEmail(), 'whatever it is', client);
        expect(response.statusCode).toBe(401);
        expect(response.headers['ratelimit']).toContain(`"login-ip";r=${remaining};t=`);
      }
      const blocked = await loginRequest(app(), account.email, account.password, client);
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(890);
      expect((await loginRequest(app(), account.email, account.password, newClient())).statusCode).toBe(200);
    });
  });

  it('reports the login limits next to the general one on every login response', async () => {
    const account = await register(app());
    const response = await loginRequest(app(), account.email, account.password, newClient());
    expect(response.statusCode).toBe(200);
    expect(response.headers['ratelimit-policy']).toBe('"anonymous";q=100000;w=60, "login-ip";q=5;w=900, "login-email";q=3;w=900');
    expect(response.headers['ratelimit']).toMatch(/^"anonymous";r=\d+;t=\d+, "login-ip";r=4;t=900, "login-email";r=3;t=0$/);
  });
});
