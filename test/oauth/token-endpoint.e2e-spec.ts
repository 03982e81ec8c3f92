import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LightMyRequestResponse } from 'fastify';
import { DataSource } from 'typeorm';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Clock } from '../../src/common/clock';
import { basicAuth, ClientCaller, post, serviceClient, tokenRequest } from '../support/api-keys';
import { manyLoginsEnv } from '../support/auth';
import { decodeSegment } from '../support/forge-token';
import { admin, Caller } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';
import { testSecrets } from '../support/test-secrets';

const HOUR_MS = 3_600_000;
const GRANT = { grant_type: 'client_credentials' };

/** docs/http-contract.md, Service clients: POST /oauth/token, the client credentials grant (RFC 6749 §4.4). */
describe('POST /oauth/token', () => {
  let testApp: TestApp;
  let app: NestFastifyApplication;
  let root: Caller;
  let client: ClientCaller;

  beforeAll(async () => {
    // One client makes many token requests here; the limit itself is tested below.
    testApp = await startTestApp({ env: { ...manyLoginsEnv(), RATE_LIMIT_TOKEN: '1000/60s' } });
    app = testApp.app;
    root = await admin(app);
    client = await serviceClient(app, root, ['orders:read', 'orders:fulfil']);
  });
  afterAll(() => testApp.close());
  afterEach(() => jest.restoreAllMocks());

  const basic = (secret = client.clientSecret) => basicAuth(client.clientId, secret);
  const inBody = (secret = client.clientSecret) => ({ client_id: client.clientId, client_secret: secret });

  /** RFC 6749 §5.2: exactly `{ error, error_description }`, JSON, never cached; not problem details. */
  function expectOAuthError(response: LightMyRequestResponse, status: number, error: string): void {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(Object.keys(response.json()).sort()).toEqual(['error', 'error_description']);
    expect(response.json().error).toBe(error);
    expect(response.json().error_description).toMatch(/^[\x20\x21\x23-\x5b\x5d-\x7e]+$/);
  }

  describe('success', () => {
    it('with HTTP Basic: 200, exactly the RFC 6749 §5.1 fields, never cached, no refresh token', async () => {
      const response = await tokenRequest(app, GRANT, basic());
      expect(response.statusCode).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['pragma']).toBe('no-cache');
      const body = response.json();
      expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'orders:read orders:fulfil' });
    });

    it('issues an RS256 at+jwt for the client: sub client:<id>, client_id, scope, and no role', async () => {
      const token = (await tokenRequest(app, GRANT, basic())).json().access_token as string;
      expect(decodeSegment(token, 0)).toEqual({ alg: 'RS256', typ: 'at+jwt', kid: testSecrets().signingKeys.current.kid });
      const claims = decodeSegment(token, 1);
      expect(Object.keys(claims).sort()).toEqual(['aud', 'client_id', 'exp', 'gen', 'iat', 'iss', 'jti', 'scope', 'sub']);
      expect(claims).toMatchObject({ sub: `client:${client.id}`, client_id: client.clientId, scope: 'orders:read orders:fulfil' });
      expect((claims.exp as number) - (claims.iat as number)).toBe(900);
    });

    it('with client_id and client_secret in a form body, or in a JSON body', async () => {
      expect((await tokenRequest(app, { ...GRANT, ...inBody() })).statusCode).toBe(200);
      const json = await post(app, '/oauth/token', {}, { ...GRANT, ...inBody() });
      expect(json.statusCode).toBe(200);
      expect(json.json().token_type).toBe('Bearer');
    });

    it('decodes the form-urlencoded id and secret inside Basic (RFC 6749 §2.3.1)', async () => {
      const percentEncoded = (text: string) => [...text].map((char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
      const header = `Basic ${Buffer.from(`${percentEncoded(client.clientId)}:${percentEncoded(client.clientSecret)}`).toString('base64')}`;
      expect((await tokenRequest(app, GRANT, { authorization: header })).statusCode).toBe(200);
    });

    it('grants a requested subset of the client’s scopes, and ignores parameters it does not know (RFC 6749 §3.2)', async () => {
      const response = await tokenRequest(app, { ...GRANT, scope: 'orders:read', audience: 'ignored' }, basic());
      expect(response.json().scope).toBe('orders:read');
      expect(decodeSegment(response.json().access_token, 1).scope).toBe('orders:read');
      // A parameter without a value counts as not sent: all of the client's scopes.
      expect((await tokenRequest(app, { ...GRANT, scope: '' }, basic())).json().scope).toBe('orders:read orders:fulfil');
    });
  });

  describe('client authentication fails with 401 invalid_client, one answer for every reason', () => {
    it('challenges for Basic when Basic was used', async () => {
      for (const headers of [
        basic('wrong-secret'),
        basicAuth('no-such-client', client.clientSecret),
        { authorization: 'Basic !!!' },
        { authorization: `Basic ${Buffer.from(client.clientId).toString('base64')}` },
      ]) {
        const response = await tokenRequest(app, GRANT, headers);
        expectOAuthError(response, 401, 'invalid_client');
        expect(response.headers['www-authenticate']).toBe('Basic realm="orders-api"');
      }
    });

    it('without a challenge when the body carried the credentials, or nothing did', async () => {
      for (const form of [{ ...GRANT, ...inBody('wrong-secret') }, { ...GRANT, client_id: client.clientId }, GRANT]) {
        const response = await tokenRequest(app, form);
        expectOAuthError(response, 401, 'invalid_client');
        expect(response.headers).not.toHaveProperty('www-authenticate');
      }
    });

    it('never echoes what was sent', async () => {
      const response = await tokenRequest(app, GRANT, basic('a-wrong-secret-to-look-for'));
      expect(response.body).not.toContain('a-wrong-secret-to-look-for');
      expect(response.body).not.toContain(client.clientId);
    });
  });

  describe('other errors (400)', () => {
    it('invalid_scope for a scope outside the client’s, or a malformed scope list', async () => {
      for (const scope of ['products:write', 'orders:read products:write', 'orders:write', 'orders:read  orders:fulfil', 'admin']) {
        expectOAuthError(await tokenRequest(app, { ...GRANT, scope }, basic()), 400, 'invalid_scope');
      }
    });

    it('unsupported_grant_type for any other grant, invalid_request without one', async () => {
      for (const grant_type of ['password', 'implicit', 'CLIENT_CREDENTIALS']) {
        expectOAuthError(await tokenRequest(app, { grant_type }, basic()), 400, 'unsupported_grant_type');
      }
      expectOAuthError(await tokenRequest(app, {}, basic()), 400, 'invalid_request');
    });

    it('unauthorized_client for the grants of apps: a service client never gets a user’s token', async () => {
      for (const grant_type of ['authorization_code', 'refresh_token']) {
        expectOAuthError(await tokenRequest(app, { grant_type, code: 'c', refresh_token: 'r' }, basic()), 400, 'unauthorized_client');
      }
    });

    it('invalid_request for two authentication methods at once, or a repeated parameter', async () => {
      expectOAuthError(await tokenRequest(app, { ...GRANT, ...inBody() }, basic()), 400, 'invalid_request');
      const repeated = await app.inject({
        method: 'POST',
        url: '/api/v1/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic() },
        payload: 'grant_type=client_credentials&scope=orders:read&scope=orders:fulfil',
      });
      expectOAuthError(repeated, 400, 'invalid_request');
      expectOAuthError(await post(app, '/oauth/token', basic(), { grant_type: ['client_credentials'] }), 400, 'invalid_request');
      expectOAuthError(await post(app, '/oauth/token', basic(), { ...GRANT, scope: 7 }), 400, 'invalid_request');
    });

    it('keeps the shape for the errors of the shared pipeline (an unknown query parameter)', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/oauth/token?debug=1',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...basic() },
        payload: 'grant_type=client_credentials',
      });
      expectOAuthError(response, 400, 'invalid_request');
    });
  });

  it('answers a body it cannot read in the RFC 6749 shape too, with the same status as any route', async () => {
    const send = (headers: Record<string, string>, payload: string) =>
      app.inject({ method: 'POST', url: '/api/v1/oauth/token', headers: { ...basic(), ...headers }, payload });
    // Each is refused by Fastify before the route's handler runs.
    expectOAuthError(
      await send({ 'content-type': 'application/x-www-form-urlencoded' }, `grant_type=client_credentials&pad=${'x'.repeat(101 * 1024)}`),
      413,
      'invalid_request',
    );
    expectOAuthError(await send({ 'content-type': 'text/plain' }, 'grant_type=client_credentials'), 415, 'invalid_request');
    expectOAuthError(await send({ 'content-type': 'application/json' }, '{"grant_type":'), 400, 'invalid_request');
    expectOAuthError(await send({ 'content-type': 'application/json' }, '{"__proto__":{"admin":true}}'), 400, 'invalid_request');
    // The same unreadable body anywhere else is still a problem-details answer.
    const elsewhere = await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  });

  it('accepts a form body on this route only: every other route still answers 415', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    for (const url of ['/api/v1/auth/login', '/api/v1/auth/register', '/api/v1/orders', '/api/v1/service-clients']) {
      const response = await app.inject({ method: 'POST', url, headers: { ...form, ...root.headers }, payload: 'email=a%40b.c&password=x' });
      expect(response.statusCode).toBe(415);
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    }
    expect((await tokenRequest(app, GRANT, basic())).statusCode).toBe(200);
  });

  describe('secret rotation', () => {
    it('both secrets work during the grace period, the old one not after it; tokens keep working', async () => {
      const rotating = await serviceClient(app, root, ['orders:read']);
      const response = await post(app, `/service-clients/${rotating.id}/rotate-secret`, root.headers, { graceHours: 1 });
      expect(response.statusCode).toBe(201);
      expect(Object.keys(response.json())).toEqual(['clientSecret']);
      const newSecret = response.json().clientSecret as string;
      expect(newSecret).not.toBe(rotating.clientSecret);
      const withSecret = (secret: string) => tokenRequest(app, GRANT, basicAuth(rotating.clientId, secret));
      expect((await withSecret(rotating.clientSecret)).statusCode).toBe(200);
      expect((await withSecret(newSecret)).statusCode).toBe(200);

      jest.spyOn(app.get(Clock), 'now').mockImplementation(() => new Date(Date.now() + HOUR_MS + 1_000));
      expectOAuthError(await withSecret(rotating.clientSecret), 401, 'invalid_client');
      expect((await withSecret(newSecret)).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/api/v1/orders', headers: rotating.headers })).statusCode).toBe(200);
    });

    it('with graceHours 0 the old secret stops at once', async () => {
      const rotating = await serviceClient(app, root, ['orders:read']);
      const newSecret = (await post(app, `/service-clients/${rotating.id}/rotate-secret`, root.headers, { graceHours: 0 })).json().clientSecret;
      expectOAuthError(await tokenRequest(app, GRANT, basicAuth(rotating.clientId, rotating.clientSecret)), 401, 'invalid_client');
      expect((await tokenRequest(app, GRANT, basicAuth(rotating.clientId, newSecret))).statusCode).toBe(200);
    });
  });

  it('audits every issuance and every refusal, by client id only', async () => {
    const audited = await serviceClient(app, root, ['orders:read']);
    await tokenRequest(app, GRANT, basicAuth(audited.clientId, 'wrong'));
    await tokenRequest(app, { ...GRANT, scope: 'orders:fulfil' }, basicAuth(audited.clientId, audited.clientSecret));
    const events = await app
      .get(DataSource)
      .getRepository(AuditEvent)
      .find({ where: { action: 'oauth.token', targetId: audited.id }, order: { at: 'ASC' } });
    expect(events.map(({ actorType, actorId, outcome }) => ({ actorType, actorId, outcome }))).toEqual([
      { actorType: 'client', actorId: audited.id, outcome: 'success' },
      { actorType: 'anonymous', actorId: null, outcome: 'failure' },
      { actorType: 'client', actorId: audited.id, outcome: 'failure' },
    ]);
    expect(JSON.stringify(events)).not.toContain(audited.clientSecret);
  });
});

describe('POST /oauth/token rate limit (RATE_LIMIT_TOKEN, per client_id)', () => {
  let testApp: TestApp;
  let root: Caller;

  beforeAll(async () => {
    testApp = await startTestApp({ env: { ...manyLoginsEnv(), RATE_LIMIT_TOKEN: '3/60s' } });
    root = await admin(testApp.app);
  });
  afterAll(() => testApp.close());

  it('counts every request naming a client_id, right secret or not, and answers 429 past the quota', async () => {
    const limited = await serviceClient(testApp.app, root, ['orders:read']); // one request
    const other = await serviceClient(testApp.app, root, ['orders:read']);
    const request = (secret: string, id = limited.clientId) => tokenRequest(testApp.app, GRANT, basicAuth(id, secret));
    const second = await request('wrong');
    expect(second.statusCode).toBe(401);
    expect(second.headers['ratelimit-policy']).toContain('"token";q=3;w=60');
    expect(second.headers['ratelimit']).toContain('"token";r=1;');
    expect((await request(limited.clientSecret)).statusCode).toBe(200);
    const blocked = await request(limited.clientSecret);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json().error).toBe('invalid_request');
    // Another client's quota is its own.
    expect((await request(other.clientSecret, other.clientId)).statusCode).toBe(200);
  });
});
