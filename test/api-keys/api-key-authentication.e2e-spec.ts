import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { generateApiKey } from '../../src/api-keys/api-key-format';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { SessionsService } from '../../src/auth/sessions.service';
import { Clock } from '../../src/common/clock';
import { insertProduct } from '../support/fixtures';
import { apiKeyHeader, NewApiKey, usageWritten, withApiKey } from '../support/api-keys';
import { bearer, expectInvalidCredentials, manyLoginsEnv } from '../support/auth';
import { admin, Caller, customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';

/** docs/http-contract.md, Authentication and API keys: what a key can reach, what it cannot, and when it stops working. */
describe('API key authentication', () => {
  let testApp: TestApp;
  let app: NestFastifyApplication;
  let productId: string;

  beforeAll(async () => {
    testApp = await startTestApp({ env: manyLoginsEnv() });
    app = testApp.app;
    productId = (await insertProduct(app.get(DataSource), { stock: 1000 })).id;
  });
  afterAll(() => testApp.close());
  afterEach(() => jest.restoreAllMocks());

  const call = (method: string, url: string, headers: Record<string, string>, payload?: object) =>
    app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers, payload });
  const placeOrder = (headers: Record<string, string>) => call('POST', '/orders', headers, { items: [{ productId, quantity: 1 }] });

  describe('refused before any database lookup', () => {
    it('a key with a wrong checksum, a made-up key, or a live key outside production', async () => {
      const { apiKey } = await withApiKey(app, await customer(app));
      const query = jest.spyOn(app.get(DataSource), 'query');
      // The spy sees the lookup of a good key, so silence below means something.
      expect((await call('GET', '/orders', apiKeyHeader(apiKey.key))).statusCode).toBe(200);
      expect(query).toHaveBeenCalled();
      await usageWritten(app);
      query.mockClear();

      const lastChar = apiKey.key.at(-1) === 'A' ? 'B' : 'A';
      const typo = apiKey.key.slice(0, -1) + lastChar;
      for (const candidate of [typo, 'sk_test_' + 'A'.repeat(49), generateApiKey('user', 'live').key, 'not a key at all']) {
        expectInvalidCredentials(await call('GET', '/orders', apiKeyHeader(candidate)));
        expectInvalidCredentials(await call('GET', '/orders', bearer(candidate.replace(/ /g, '_'))));
      }
      expect(query).not.toHaveBeenCalled();
    });
  });

  it('never reads a key from the query string or the body (401, as with no credential)', async () => {
    const alice = await withApiKey(app, await customer(app));
    for (const parameter of ['api_key', 'apiKey', 'key', 'access_token']) {
      expectInvalidCredentials(await call('GET', `/orders?${parameter}=${alice.apiKey.key}`, {}), false);
    }
    expectInvalidCredentials(await call('POST', '/orders', {}, { items: [{ productId, quantity: 1 }], apiKey: alice.apiKey.key }), false);
    expect((await call('GET', '/orders', alice.headers)).statusCode).toBe(200);
  });

  it('a user’s key reaches the owner’s orders and not another user’s (404)', async () => {
    const alice = await customer(app);
    const bob = await withApiKey(app, await customer(app));
    const orderId = (await placeOrder(alice.headers)).json().id;
    const bobsOrderId = (await placeOrder(bob.headers)).json().id;
    expect((await call('GET', `/orders/${bobsOrderId}`, bob.headers)).statusCode).toBe(200);
    const foreign = await call('GET', `/orders/${orderId}`, bob.headers);
    expect(foreign.statusCode).toBe(404);
    expect((await call('POST', `/orders/${orderId}/cancel`, bob.headers, {})).statusCode).toBe(404);
    expect((await call('GET', '/orders', bob.headers)).json().data.map((order: { id: string }) => order.id)).toEqual([bobsOrderId]);
  });

  it('a key can do no more than its scopes: orders:read reads, but placing an order is 403', async () => {
    const alice = await customer(app);
    const reader = await withApiKey(app, alice, { name: 'reader', scopes: ['orders:read'] });
    const writer = await withApiKey(app, alice, { name: 'writer' });
    expect((await call('GET', '/orders', reader.headers)).statusCode).toBe(200);
    expect((await placeOrder(reader.headers)).statusCode).toBe(403);
    expect((await placeOrder(writer.headers)).statusCode).toBe(201);
  });

  it('a key can do no more than its owner: an admin demoted to customer loses the key’s extra scopes', async () => {
    const root = await admin(app);
    const keyed = await withApiKey(app, root, { name: 'catalogue', scopes: ['products:write'] });
    const product = { sku: `K-${Date.now()}`, name: 'Keyed', priceCents: 100, currency: 'EUR', stock: 1 };
    expect((await call('POST', '/products', keyed.headers, product)).statusCode).toBe(201);
    await app.get(DataSource).query(`UPDATE users SET role = 'customer' WHERE id = $1`, [root.id]);
    expect((await call('POST', '/products', keyed.headers, { ...product, sku: `${product.sku}-2` })).statusCode).toBe(403);
  });

  it('a key cannot manage keys (403): a leaked key mints, lists, rotates and revokes nothing', async () => {
    const alice = await customer(app);
    const keyed = await withApiKey(app, alice);
    expect((await call('POST', '/api-keys', keyed.headers, { name: 'more' })).statusCode).toBe(403);
    expect((await call('GET', '/api-keys', keyed.headers)).statusCode).toBe(403);
    expect((await call('POST', `/api-keys/${keyed.apiKey.id}/rotate`, keyed.headers, {})).statusCode).toBe(403);
    expect((await call('DELETE', `/api-keys/${keyed.apiKey.id}`, keyed.headers)).statusCode).toBe(403);
    expect((await call('GET', '/api-keys', alice.headers)).json().page.total).toBe(1);
  });

  it('an admin’s key never reaches an admin route (403), while the admin’s token does', async () => {
    const root = await admin(app);
    const keyed = await withApiKey(app, root);
    expect(keyed.apiKey.scopes.sort()).toEqual(['orders:fulfil', 'orders:read', 'orders:write', 'products:write']);
    for (const url of ['/service-clients', '/users', '/audit-events']) {
      expect((await call('GET', url, root.headers)).statusCode).toBe(200);
      expect((await call('GET', url, keyed.headers)).statusCode).toBe(403);
    }
    expect((await call('POST', '/service-clients', keyed.headers, { name: 'x', scopes: ['orders:read'] })).statusCode).toBe(403);
  });

  it('a key is a user principal for GET /users/me, but not for routes that need the user’s own token', async () => {
    const alice = await withApiKey(app, await customer(app));
    expect((await call('GET', '/users/me', alice.headers)).json()).toMatchObject({ id: alice.id });
    expect((await call('PATCH', '/users/me', alice.headers, { name: 'Renamed by a key' })).statusCode).toBe(403);
    expect((await call('POST', '/auth/logout', alice.headers, {})).statusCode).toBe(403);
  });

  describe('stops working at once', () => {
    it('when its owner is suspended (the admin route), and stays revoked after reinstatement', async () => {
      const root = await admin(app);
      const alice = await withApiKey(app, await customer(app));
      expect((await call('GET', '/orders', alice.headers)).statusCode).toBe(200);
      expect((await call('POST', `/users/${alice.id}/suspend`, root.headers, {})).statusCode).toBe(204);
      expectInvalidCredentials(await call('GET', '/orders', alice.headers));
      await call('POST', `/users/${alice.id}/reinstate`, root.headers, {});
      expectInvalidCredentials(await call('GET', '/orders', alice.headers));
    });

    it('when its owner’s status is suspended, even before the sessions are revoked', async () => {
      const alice = await withApiKey(app, await customer(app));
      await app.get(DataSource).query(`UPDATE users SET status = 'suspended' WHERE id = $1`, [alice.id]);
      expectInvalidCredentials(await call('GET', '/orders', alice.headers));
    });

    it('when its owner changes password (every session of the user ends, API keys included)', async () => {
      const alice = await withApiKey(app, await customer(app));
      const changed = await call(
        'POST',
        '/auth/password',
        { authorization: `Bearer ${alice.tokens.accessToken}` },
        { currentPassword: alice.password, newPassword: 'a brand new password' },
      );
      expect(changed.statusCode).toBe(204);
      expectInvalidCredentials(await call('GET', '/orders', alice.headers));
    });

    it('when SessionsService.revokeAllForUser runs', async () => {
      const alice = await withApiKey(app, await customer(app));
      await app.get(SessionsService).revokeAllForUser(alice.id);
      expectInvalidCredentials(await call('GET', '/orders', alice.headers));
    });
  });

  describe('usage records', () => {
    const lastUsedAt = async (caller: Caller, keyId: string) =>
      (await call('GET', '/api-keys', caller.headers)).json().data.find((key: NewApiKey) => key.id === keyId).lastUsedAt as string | null;

    it('writes lastUsedAt on use, then at most once a minute', async () => {
      const alice = await customer(app);
      const { apiKey } = await withApiKey(app, alice);
      expect(await lastUsedAt(alice, apiKey.id)).toBeNull();
      const use = async () => {
        await call('GET', '/orders', apiKeyHeader(apiKey.key));
        await usageWritten(app);
        return lastUsedAt(alice, apiKey.id);
      };
      const first = await use();
      expect(first).toEqual(expect.any(String));
      const clock = jest.spyOn(app.get(Clock), 'now').mockImplementation(() => new Date(new Date(first!).getTime() + 59_000));
      expect(await use()).toBe(first);
      clock.mockImplementation(() => new Date(new Date(first!).getTime() + 61_000));
      expect(new Date((await use())!).getTime()).toBe(new Date(first!).getTime() + 61_000);
    });

    it('writes once for many uses from one address within a minute', async () => {
      const alice = await customer(app);
      const { apiKey } = await withApiKey(app, alice);
      const queries = jest.spyOn(app.get(DataSource), 'query');
      for (let i = 0; i < 5; i++) expect((await call('GET', '/orders', apiKeyHeader(apiKey.key))).statusCode).toBe(200);
      await usageWritten(app);
      expect(queries.mock.calls.filter(([sql]) => sql.includes('api_key_ips'))).toHaveLength(1);
    });

    it('audits api_key.new_ip the first time a key is used from an address, once per address', async () => {
      const alice = await customer(app);
      const { apiKey } = await withApiKey(app, alice);
      const useFrom = (remoteAddress: string) => app.inject({ method: 'GET', url: '/api/v1/orders', headers: apiKeyHeader(apiKey.key), remoteAddress });
      for (const address of ['198.51.100.7', '198.51.100.7', '2001:db8::7', '198.51.100.7']) {
        expect((await useFrom(address)).statusCode).toBe(200);
      }
      await usageWritten(app);
      const events = await app
        .get(DataSource)
        .getRepository(AuditEvent)
        .find({ where: { action: 'api_key.new_ip', targetId: apiKey.id }, order: { at: 'ASC' } });
      expect(events.map(({ actorType, actorId, ip, targetType, outcome }) => ({ actorType, actorId, ip, targetType, outcome }))).toEqual([
        { actorType: 'user', actorId: alice.id, ip: '198.51.100.7', targetType: 'api_key', outcome: 'success' },
        { actorType: 'user', actorId: alice.id, ip: '2001:db8::7', targetType: 'api_key', outcome: 'success' },
      ]);
    });
  });
});
