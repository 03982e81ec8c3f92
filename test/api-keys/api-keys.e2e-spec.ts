import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { API_KEY_PATTERN } from '../../src/api-keys/api-key-format';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { Clock } from '../../src/common/clock';
import { apiKeyHeader, NewApiKey, post, withApiKey } from '../support/api-keys';
import { bearer, expectInvalidCredentials, manyLoginsEnv } from '../support/auth';
import { Caller, customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';

const HOUR_MS = 3_600_000;
const API_KEY_FIELDS = ['createdAt', 'expiresAt', 'id', 'last4', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'scopes'];

/** docs/http-contract.md, API keys: a user's keys, from creation to revocation, over HTTP. */
describe('API keys (user)', () => {
  let testApp: TestApp;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    testApp = await startTestApp({ env: manyLoginsEnv() });
    app = testApp.app;
  });
  afterAll(() => testApp.close());
  afterEach(() => jest.restoreAllMocks());

  const get = (url: string, headers: Record<string, string>) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
  const del = (url: string, headers: Record<string, string>) => app.inject({ method: 'DELETE', url: `/api/v1${url}`, headers });
  const ordersWith = (key: string) => get('/orders', apiKeyHeader(key));
  /** Moves the application's clock (not the test's) forward, instead of sleeping through a grace period. */
  const moveClock = (ms: number) => jest.spyOn(app.get(Clock), 'now').mockImplementation(() => new Date(Date.now() + ms));

  describe('POST /api-keys', () => {
    it('answers 201 with the key once, in the published format, with the owner’s scopes by default', async () => {
      const alice = await customer(app);
      const response = await post(app, '/api-keys', alice.headers, { name: '  ci deploy  ' });
      expect(response.statusCode).toBe(201);
      const key = response.json<NewApiKey>();
      expect(Object.keys(key).sort()).toEqual([...API_KEY_FIELDS, 'key'].sort());
      expect(key).toMatchObject({ name: 'ci deploy', scopes: ['orders:read', 'orders:write'], expiresAt: null, lastUsedAt: null, revokedAt: null });
      // sk_test_ outside production, then 43 + 6 base62 characters (docs/http-contract.md, API keys).
      expect(key.key).toMatch(/^sk_test_[0-9A-Za-z]{49}$/);
      expect(key.key).toMatch(API_KEY_PATTERN);
      expect(key.key.startsWith(key.prefix)).toBe(true);
      expect(key.key.endsWith(key.last4)).toBe(true);
    });

    it('takes a subset of the owner’s scopes and an expiry in days', async () => {
      const alice = await customer(app);
      const before = Date.now();
      const response = await post(app, '/api-keys', alice.headers, { name: 'reader', scopes: ['orders:read'], expiresInDays: 30 });
      expect(response.statusCode).toBe(201);
      const key = response.json<NewApiKey>();
      expect(key.scopes).toEqual(['orders:read']);
      const expiresIn = new Date(key.expiresAt!).getTime() - before;
      expect(expiresIn).toBeGreaterThanOrEqual(30 * 24 * HOUR_MS - 1000);
      expect(expiresIn).toBeLessThanOrEqual(30 * 24 * HOUR_MS + 5000);
    });

    it('refuses a scope the owner does not hold (400), and every malformed body', async () => {
      const alice = await customer(app);
      const refused = await post(app, '/api-keys', alice.headers, { name: 'too much', scopes: ['orders:read', 'products:write'] });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors).toEqual([{ field: 'scopes', message: expect.any(String) }]);
      for (const body of [
        {},
        { name: '' },
        { name: 'x'.repeat(101) },
        { name: 'k', scopes: [] },
        { name: 'k', scopes: ['admin'] },
        { name: 'k', scopes: ['orders:read', 'orders:read'] },
        { name: 'k', expiresInDays: 0 },
        { name: 'k', expiresInDays: 366 },
        { name: 'k', userId: alice.id },
      ]) {
        expect((await post(app, '/api-keys', alice.headers, body)).statusCode).toBe(400);
      }
      expect((await get('/api-keys', alice.headers)).json().page.total).toBe(0);
    });

    it('allows two active keys per user; a third is 409 until one is revoked', async () => {
      const alice = await customer(app);
      const first = await withApiKey(app, alice);
      await withApiKey(app, alice);
      const third = await post(app, '/api-keys', alice.headers, { name: 'third' });
      expect(third.statusCode).toBe(409);
      expect((await del(`/api-keys/${first.apiKey.id}`, alice.headers)).statusCode).toBe(204);
      expect((await post(app, '/api-keys', alice.headers, { name: 'third' })).statusCode).toBe(201);
    });

    it('counts a key that has expired as no longer active', async () => {
      const alice = await customer(app);
      await withApiKey(app, alice, { name: 'short', expiresInDays: 1 });
      await withApiKey(app, alice);
      moveClock(25 * HOUR_MS);
      expect((await post(app, '/api-keys', alice.headers, { name: 'replacement' })).statusCode).toBe(201);
    });
  });

  describe('using a key', () => {
    it('authenticates with X-API-Key or with Authorization: Bearer, as its owner', async () => {
      const { apiKey } = await withApiKey(app, await customer(app));
      expect((await get('/orders', apiKeyHeader(apiKey.key))).statusCode).toBe(200);
      expect((await get('/orders', bearer(apiKey.key))).statusCode).toBe(200);
    });

    it('refuses a credential sent twice, even the same key in both headers', async () => {
      const { apiKey } = await withApiKey(app, await customer(app));
      expectInvalidCredentials(await get('/orders', { ...apiKeyHeader(apiKey.key), ...bearer(apiKey.key) }));
    });
  });

  describe('GET /api-keys', () => {
    it('lists the caller’s own keys, newest first, never a key or its hash', async () => {
      const alice = await customer(app);
      const bob = await customer(app);
      const older = await withApiKey(app, alice, { name: 'older' });
      const newer = await withApiKey(app, alice, { name: 'newer' });
      await withApiKey(app, bob);
      const response = await get('/api-keys', alice.headers);
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.page).toEqual({ limit: 20, offset: 0, total: 2 });
      expect(body.data.map((key: NewApiKey) => key.id)).toEqual([newer.apiKey.id, older.apiKey.id]);
      for (const key of body.data) expect(Object.keys(key).sort()).toEqual(API_KEY_FIELDS);
      for (const secret of [older.apiKey.key, newer.apiKey.key]) {
        expect(response.body).not.toContain(secret);
        expect(response.body).not.toContain(secret.slice(12, -4));
      }
    });
  });

  describe('POST /api-keys/:id/rotate', () => {
    it('issues a new key with the same name and scopes; both work during the grace period, the old one not after', async () => {
      const alice = await customer(app);
      const old = await withApiKey(app, alice, { name: 'rotating', scopes: ['orders:read'] });
      const response = await post(app, `/api-keys/${old.apiKey.id}/rotate`, alice.headers, { graceHours: 2 });
      expect(response.statusCode).toBe(201);
      const rotated = response.json<NewApiKey>();
      expect(rotated).toMatchObject({ name: 'rotating', scopes: ['orders:read'], expiresAt: null });
      expect(rotated.key).not.toBe(old.apiKey.key);

      expect((await ordersWith(old.apiKey.key)).statusCode).toBe(200);
      expect((await ordersWith(rotated.key)).statusCode).toBe(200);
      const listed = (await get('/api-keys', alice.headers)).json().data.find((key: NewApiKey) => key.id === old.apiKey.id);
      expect(new Date(listed.expiresAt).getTime()).toBeGreaterThan(Date.now() + HOUR_MS);

      moveClock(2 * HOUR_MS - 60_000);
      expect((await ordersWith(old.apiKey.key)).statusCode).toBe(200);
      moveClock(2 * HOUR_MS + 1_000);
      expectInvalidCredentials(await ordersWith(old.apiKey.key));
      expect((await ordersWith(rotated.key)).statusCode).toBe(200);
    });

    it('defaults to a 24-hour grace period; 0 ends the old key at once', async () => {
      const alice = await customer(app);
      const first = await withApiKey(app, alice);
      const second = (await post(app, `/api-keys/${first.apiKey.id}/rotate`, alice.headers)).json<NewApiKey>();
      moveClock(23 * HOUR_MS);
      expect((await ordersWith(first.apiKey.key)).statusCode).toBe(200);
      moveClock(25 * HOUR_MS);
      expectInvalidCredentials(await ordersWith(first.apiKey.key));
      jest.restoreAllMocks();

      const third = await post(app, `/api-keys/${second.id}/rotate`, alice.headers, { graceHours: 0 });
      expect(third.statusCode).toBe(201);
      expectInvalidCredentials(await ordersWith(second.key));
      expect((await ordersWith(third.json<NewApiKey>().key)).statusCode).toBe(200);
    });

    it('refuses a grace period outside 0..168 hours, a revoked key (409), and a rotation past two active keys (409)', async () => {
      const alice = await customer(app);
      const first = await withApiKey(app, alice);
      for (const graceHours of [-1, 169, 1.5, '24']) {
        expect((await post(app, `/api-keys/${first.apiKey.id}/rotate`, alice.headers, { graceHours })).statusCode).toBe(400);
      }
      const second = await withApiKey(app, alice);
      expect((await post(app, `/api-keys/${first.apiKey.id}/rotate`, alice.headers)).statusCode).toBe(409);
      await del(`/api-keys/${second.apiKey.id}`, alice.headers);
      expect((await post(app, `/api-keys/${second.apiKey.id}/rotate`, alice.headers)).statusCode).toBe(409);
      expect((await post(app, `/api-keys/${first.apiKey.id}/rotate`, alice.headers)).statusCode).toBe(201);
    });
  });

  describe('DELETE /api-keys/:id', () => {
    it('revokes at once: the key is refused on the next request and listed with revokedAt', async () => {
      const alice = await customer(app);
      const { apiKey } = await withApiKey(app, alice);
      expect((await ordersWith(apiKey.key)).statusCode).toBe(200);
      expect((await del(`/api-keys/${apiKey.id}`, alice.headers)).statusCode).toBe(204);
      expectInvalidCredentials(await ordersWith(apiKey.key));
      const [listed] = (await get('/api-keys', alice.headers)).json().data;
      expect(listed.revokedAt).toEqual(expect.any(String));
      // Idempotent, as DELETE is (RFC 9110 §9.2.2).
      expect((await del(`/api-keys/${apiKey.id}`, alice.headers)).statusCode).toBe(204);
    });

    it('answers 404 for another user’s key (exactly as for none) and 400 for a malformed id', async () => {
      const alice = await customer(app);
      const bob = await customer(app);
      const { apiKey } = await withApiKey(app, alice);
      const foreign = await del(`/api-keys/${apiKey.id}`, bob.headers);
      const missing = await del('/api-keys/00000000-0000-4000-8000-000000000000', bob.headers);
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json().detail).toBe(missing.json().detail);
      expect((await post(app, `/api-keys/${apiKey.id}/rotate`, bob.headers)).statusCode).toBe(404);
      expect((await del('/api-keys/not-a-uuid', bob.headers)).statusCode).toBe(400);
      expect((await ordersWith(apiKey.key)).statusCode).toBe(200);
    });
  });

  it('audits create, rotate and revoke, naming the key by id only', async () => {
    const alice: Caller = await customer(app);
    const { apiKey } = await withApiKey(app, alice);
    const rotated = (await post(app, `/api-keys/${apiKey.id}/rotate`, alice.headers)).json<NewApiKey>();
    await del(`/api-keys/${rotated.id}`, alice.headers);
    const events = await app
      .get(DataSource)
      .getRepository(AuditEvent)
      .find({ where: { actorId: alice.id }, order: { at: 'ASC' } });
    const keyEvents = events.filter((event) => event.action.startsWith('api_key.'));
    expect(keyEvents.map(({ action, targetId, outcome }) => ({ action, targetId, outcome }))).toEqual([
      { action: 'api_key.create', targetId: apiKey.id, outcome: 'success' },
      { action: 'api_key.rotate', targetId: apiKey.id, outcome: 'success' },
      { action: 'api_key.revoke', targetId: rotated.id, outcome: 'success' },
    ]);
    expect(keyEvents.every((event) => event.actorType === 'user' && event.ip && event.requestId)).toBe(true);
    expect(JSON.stringify(events)).not.toContain(apiKey.key.slice(8));
  });
});
