import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AccessTokenIssuer } from '../../src/auth/access-token.issuer';
import { post, serviceClient } from '../support/api-keys';
import { bearer, manyLoginsEnv } from '../support/auth';
import { insertUser } from '../support/fixtures';
import { appClient } from '../support/oauth-apps';
import { admin, Caller, customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';

const APP_FIELDS = ['clientId', 'createdAt', 'id', 'name', 'redirectUris', 'scopes', 'type'];

/** docs/http-contract.md, Delegated authorization: registering the apps users authorize, in the one client registry. */
describe('App clients (POST, GET, DELETE /api/v1/oauth/clients)', () => {
  let testApp: TestApp;
  let app: NestFastifyApplication;
  let root: Caller;

  beforeAll(async () => {
    testApp = await startTestApp({ env: manyLoginsEnv() });
    app = testApp.app;
    root = await admin(app);
  });
  afterAll(() => testApp.close());

  const call = (method: string, url: string, headers: Record<string, string>) => app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers });

  it('registers a public app without a secret, and a confidential one with a secret shown once', async () => {
    const spa = await post(app, '/oauth/clients', root.headers, {
      name: 'SPA',
      type: 'public',
      redirectUris: ['https://spa.example/cb'],
      scopes: ['orders:read'],
    });
    expect(spa.statusCode).toBe(201);
    expect(Object.keys(spa.json()).sort()).toEqual(APP_FIELDS);
    expect(spa.json()).toMatchObject({ name: 'SPA', type: 'public', redirectUris: ['https://spa.example/cb'], scopes: ['orders:read'] });
    expect(spa.json().clientId).toMatch(/^app\.[A-Za-z0-9_-]{22}$/);

    const web = await post(app, '/oauth/clients', root.headers, {
      name: 'Web',
      type: 'confidential',
      redirectUris: ['https://web.example/cb'],
      scopes: ['orders:read', 'orders:write'],
    });
    expect(web.statusCode).toBe(201);
    expect(Object.keys(web.json()).sort()).toEqual([...APP_FIELDS, 'clientSecret'].sort());
    expect(web.json().clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const listed = await call('GET', '/oauth/clients', root.headers);
    expect(listed.body).not.toContain(web.json().clientSecret);
  });

  it('is for admins only', async () => {
    const alice = await customer(app);
    expect(
      (await post(app, '/oauth/clients', alice.headers, { name: 'Mine', type: 'public', redirectUris: ['https://mine.example/cb'], scopes: ['orders:read'] }))
        .statusCode,
    ).toBe(403);
    expect((await call('GET', '/oauth/clients', alice.headers)).statusCode).toBe(403);
  });

  it.each([
    ['a scope no user may delegate', { scopes: ['orders:read', 'orders:fulfil'] }],
    ['no scope', { scopes: [] }],
    ['no redirect URI', { redirectUris: [] }],
    ['a redirect URI with a fragment', { redirectUris: ['https://spa.example/cb#x'] }],
    ['a relative redirect URI', { redirectUris: ['/cb'] }],
    ['a script URL', { redirectUris: ['javascript:alert(1)'] }],
    ['an unknown type', { type: 'native' }],
    ['a secret chosen by the caller', { clientSecret: 'mine' }],
  ])('refuses %s (400)', async (_name, change) => {
    const body = { name: 'Bad', type: 'public', redirectUris: ['https://spa.example/cb'], scopes: ['orders:read'], ...change };
    expect((await post(app, '/oauth/clients', root.headers, body)).statusCode).toBe(400);
  });

  it('accepts plain http on any host outside production', async () => {
    expect(
      (await post(app, '/oauth/clients', root.headers, { name: 'Dev', type: 'public', redirectUris: ['http://dev.example/cb'], scopes: ['orders:read'] }))
        .statusCode,
    ).toBe(201);
  });

  it('keeps apps and service clients apart: each list has its own, each route finds only its own', async () => {
    const spa = await appClient(app, root, { type: 'public', redirectUris: ['https://spa.example/cb'] });
    const warehouse = await serviceClient(app, root, ['orders:read']);
    const apps = (await call('GET', '/oauth/clients', root.headers)).json().data.map((entry: { id: string }) => entry.id);
    const services = (await call('GET', '/service-clients', root.headers)).json().data.map((entry: { id: string }) => entry.id);
    expect({ appListed: apps.includes(spa.id), serviceInApps: apps.includes(warehouse.id) }).toEqual({ appListed: true, serviceInApps: false });
    expect({ serviceListed: services.includes(warehouse.id), appInServices: services.includes(spa.id) }).toEqual({ serviceListed: true, appInServices: false });
    expect((await call('DELETE', `/oauth/clients/${warehouse.id}`, root.headers)).statusCode).toBe(404);
    expect((await call('DELETE', `/service-clients/${spa.id}`, root.headers)).statusCode).toBe(404);
    expect((await call('POST', `/service-clients/${spa.id}/rotate-secret`, root.headers)).statusCode).toBe(404);
  });

  it('deletes an app (204): gone from the list, and audited with its registration', async () => {
    const spa = await appClient(app, root, { type: 'public', redirectUris: ['https://spa.example/cb'] });
    expect((await call('DELETE', `/oauth/clients/${spa.id}`, root.headers)).statusCode).toBe(204);
    expect((await call('GET', '/oauth/clients', root.headers)).json().data.map((entry: { id: string }) => entry.id)).not.toContain(spa.id);
    expect((await call('DELETE', `/oauth/clients/${spa.id}`, root.headers)).statusCode).toBe(404);
    const events = await app.get(DataSource).query<Array<{ action: string }>>(`SELECT action FROM audit_events WHERE target_id = $1 ORDER BY at, id`, [spa.id]);
    expect(events.map((event) => event.action)).toEqual(['app_client.create', 'app_client.delete']);
  });
});

describe('App clients in production', () => {
  let testApp: TestApp;
  let adminHeaders: Record<string, string>;

  beforeAll(async () => {
    testApp = await startTestApp({
      env: { ...manyLoginsEnv(), NODE_ENV: 'production', PUBLIC_URL: 'https://orders.example.test', TRUSTED_PROXIES: '127.0.0.1/32' },
      secrets: { smtpUrl: 'smtp://127.0.0.1:9' },
    });
    // An admin's own token, as a login would issue it (the login itself is not what this suite is about).
    const root = await insertUser(testApp.app.get(DataSource), { role: 'admin', emailVerifiedAt: new Date() });
    const { token } = testApp.app.get(AccessTokenIssuer).issue({ id: root.id, role: 'admin', tokenGeneration: 0, emailVerified: true });
    // Over HTTPS, as the trusted proxy says, so the answers are about the redirect URIs, not the transport.
    adminHeaders = { ...bearer(token), 'x-forwarded-proto': 'https' };
  });
  afterAll(() => testApp.close());

  const register = (redirectUri: string) =>
    post(testApp.app, '/oauth/clients', adminHeaders, { name: 'Prod', type: 'public', redirectUris: [redirectUri], scopes: ['orders:read'] });

  it('takes https, and plain http only on a loopback host (RFC 8252 §7.3)', async () => {
    const statuses = [];
    for (const uri of ['https://spa.example/cb', 'http://127.0.0.1:8080/cb', 'http://[::1]:8080/cb', 'http://localhost:8080/cb', 'http://spa.example/cb']) {
      statuses.push((await register(uri)).statusCode);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 400]);
    expect((await register('http://spa.example/cb')).json().errors).toEqual([
      { field: 'redirectUris.0', message: expect.stringContaining('must be https in production') },
    ]);
  });
});
