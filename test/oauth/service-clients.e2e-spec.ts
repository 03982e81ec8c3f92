import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AuditEvent } from '../../src/audit/audit-event.entity';
import { insertProduct } from '../support/fixtures';
import { basicAuth, clientApiKey, ClientCaller, post, serviceClient, tokenRequest, withApiKey } from '../support/api-keys';
import { expectInvalidCredentials, manyLoginsEnv } from '../support/auth';
import { admin, Caller, customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';

const CLIENT_FIELDS = ['clientId', 'createdAt', 'id', 'name', 'scopes'];

/** docs/http-contract.md, Service client admin, and what a client's token or key can reach (Roles and scopes). */
describe('Service clients', () => {
  let testApp: TestApp;
  let app: NestFastifyApplication;
  let root: Caller;
  let alice: Caller;
  let productId: string;

  beforeAll(async () => {
    testApp = await startTestApp({ env: { ...manyLoginsEnv(), RATE_LIMIT_TOKEN: '1000/60s' } });
    app = testApp.app;
    [root, alice] = await Promise.all([admin(app), customer(app)]);
    productId = (await insertProduct(app.get(DataSource), { stock: 1000 })).id;
  });
  afterAll(() => testApp.close());

  const call = (method: string, url: string, headers: Record<string, string>, payload?: object) =>
    app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers, payload });
  const placeOrder = async (caller: Caller) => (await call('POST', '/orders', caller.headers, { items: [{ productId, quantity: 1 }] })).json().id as string;
  const newProduct = () => ({ sku: `SC-${Math.random().toString(36).slice(2, 10)}`, name: 'From a client', priceCents: 100, currency: 'EUR', stock: 1 });

  describe('admin routes', () => {
    it('POST makes a client and shows its secret once; GET lists clients without secrets', async () => {
      const response = await post(app, '/service-clients', root.headers, { name: 'warehouse', scopes: ['orders:read', 'orders:fulfil'] });
      expect(response.statusCode).toBe(201);
      const made = response.json();
      expect(Object.keys(made).sort()).toEqual([...CLIENT_FIELDS, 'clientSecret'].sort());
      expect(made).toMatchObject({ name: 'warehouse', scopes: ['orders:read', 'orders:fulfil'] });
      expect(made.clientId).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(made.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);

      const listed = await call('GET', '/service-clients', root.headers);
      expect(listed.statusCode).toBe(200);
      const entry = listed.json().data.find((candidate: { id: string }) => candidate.id === made.id);
      expect(Object.keys(entry).sort()).toEqual(CLIENT_FIELDS);
      expect(listed.body).not.toContain(made.clientSecret);
    });

    it('refuses scopes a client cannot hold and malformed bodies (400)', async () => {
      for (const body of [
        { name: 'x', scopes: ['orders:write'] },
        { name: 'x', scopes: [] },
        { name: 'x' },
        { scopes: ['orders:read'] },
        { name: 'x', scopes: ['orders:read'], clientSecret: 'mine' },
      ]) {
        expect((await post(app, '/service-clients', root.headers, body)).statusCode).toBe(400);
      }
    });

    it('is for admins’ own tokens only: a customer, an admin’s key and a client get 403', async () => {
      const adminKey = await withApiKey(app, root);
      const client = await serviceClient(app, root, ['orders:read', 'orders:fulfil', 'products:write']);
      for (const caller of [alice.headers, adminKey.headers, client.headers]) {
        expect((await call('GET', '/service-clients', caller)).statusCode).toBe(403);
        expect((await post(app, '/service-clients', caller, { name: 'x', scopes: ['orders:read'] })).statusCode).toBe(403);
        expect((await post(app, `/service-clients/${client.id}/rotate-secret`, caller, {})).statusCode).toBe(403);
        expect((await call('DELETE', `/service-clients/${client.id}`, caller)).statusCode).toBe(403);
      }
    });

    it('answers 404 for an unknown client and 400 for a malformed id', async () => {
      expect((await post(app, '/service-clients/00000000-0000-4000-8000-000000000000/api-keys', root.headers, { name: 'k' })).statusCode).toBe(404);
      expect((await call('DELETE', '/service-clients/nope', root.headers)).statusCode).toBe(400);
    });
  });

  describe('a client token', () => {
    it('with orders:read lists and reads every user’s orders, with the owner', async () => {
      const orderId = await placeOrder(alice);
      const reader = await serviceClient(app, root, ['orders:read']);
      const listed = await call('GET', `/orders?userId=${alice.id}`, reader.headers);
      expect(listed.statusCode).toBe(200);
      expect(listed.json().data.map((order: { id: string }) => order.id)).toContain(orderId);
      expect((await call('GET', `/orders/${orderId}`, reader.headers)).json()).toMatchObject({ id: orderId, userId: alice.id });
    });

    it('with orders:fulfil moves an order’s status, and is refused product writes without products:write (403)', async () => {
      const orderId = await placeOrder(alice);
      const fulfiller = await serviceClient(app, root, ['orders:read', 'orders:fulfil']);
      const moved = await call('PATCH', `/orders/${orderId}/status`, fulfiller.headers, { status: 'paid' });
      expect(moved.statusCode).toBe(200);
      expect(moved.json().status).toBe('paid');
      expect((await call('POST', '/products', fulfiller.headers, newProduct())).statusCode).toBe(403);
      expect((await call('PATCH', `/products/${productId}`, fulfiller.headers, { name: 'Renamed' })).statusCode).toBe(403);

      const catalogue = await serviceClient(app, root, ['products:write']);
      expect((await call('POST', '/products', catalogue.headers, newProduct())).statusCode).toBe(201);
      expect((await call('PATCH', `/orders/${orderId}/status`, catalogue.headers, { status: 'shipped' })).statusCode).toBe(403);
    });

    it('carries only the scopes it was granted, even when the client holds more', async () => {
      const orderId = await placeOrder(alice);
      const narrow = await serviceClient(app, root, ['orders:read', 'orders:fulfil'], 'orders:read');
      expect((await call('GET', `/orders/${orderId}`, narrow.headers)).statusCode).toBe(200);
      expect((await call('PATCH', `/orders/${orderId}/status`, narrow.headers, { status: 'paid' })).statusCode).toBe(403);
    });

    it('reaches nothing else: no admin route, no /users/me, no user-only route (403)', async () => {
      const client = await serviceClient(app, root, ['orders:read', 'orders:fulfil', 'products:write']);
      for (const [method, url] of [
        ['GET', '/users'],
        ['GET', '/audit-events'],
        ['GET', '/service-clients'],
        ['GET', '/users/me'],
        ['GET', '/api-keys'],
        ['POST', '/api-keys'],
      ]) {
        expect((await call(method, url, client.headers, method === 'POST' ? { name: 'k' } : undefined)).statusCode).toBe(403);
      }
      // Placing and cancelling need orders:write, which no client can hold.
      const orderId = await placeOrder(alice);
      expect((await call('POST', '/orders', client.headers, { items: [{ productId, quantity: 1 }] })).statusCode).toBe(403);
      expect((await call('POST', `/orders/${orderId}/cancel`, client.headers, {})).statusCode).toBe(403);
    });
  });

  describe('a client key (svc_)', () => {
    it('acts as its client, with the client’s scopes, and never reaches an admin route', async () => {
      const client = await serviceClient(app, root, ['orders:read']);
      const { apiKey, headers } = await clientApiKey(app, root, client);
      expect(apiKey.key).toMatch(/^svc_test_[0-9A-Za-z]{49}$/);
      expect(apiKey.scopes).toEqual(['orders:read']);
      const orderId = await placeOrder(alice);
      expect((await call('GET', `/orders/${orderId}`, headers)).json().userId).toBe(alice.id);
      expect((await call('PATCH', `/orders/${orderId}/status`, headers, { status: 'paid' })).statusCode).toBe(403);
      expect((await call('GET', '/service-clients', headers)).statusCode).toBe(403);
      expect((await call('GET', '/users/me', headers)).statusCode).toBe(403);
    });

    it('at most two active keys per client (409)', async () => {
      const client = await serviceClient(app, root, ['orders:read']);
      await clientApiKey(app, root, client);
      await clientApiKey(app, root, client);
      expect((await post(app, `/service-clients/${client.id}/api-keys`, root.headers, { name: 'third' })).statusCode).toBe(409);
    });
  });

  describe('DELETE /service-clients/:id', () => {
    let client: ClientCaller;
    let keyHeaders: Record<string, string>;

    beforeAll(async () => {
      client = await serviceClient(app, root, ['orders:read']);
      keyHeaders = (await clientApiKey(app, root, client)).headers;
    });

    it('stops its tokens, its keys and its secret at once', async () => {
      expect((await call('GET', '/orders', client.headers)).statusCode).toBe(200);
      expect((await call('GET', '/orders', keyHeaders)).statusCode).toBe(200);
      expect((await call('DELETE', `/service-clients/${client.id}`, root.headers)).statusCode).toBe(204);
      expectInvalidCredentials(await call('GET', '/orders', client.headers));
      expectInvalidCredentials(await call('GET', '/orders', keyHeaders));
      const token = await tokenRequest(app, { grant_type: 'client_credentials' }, basicAuth(client.clientId, client.clientSecret));
      expect(token.statusCode).toBe(401);
      expect(token.json().error).toBe('invalid_client');
    });

    it('leaves it out of the list, and a second delete is 404', async () => {
      const listed = (await call('GET', '/service-clients?limit=100', root.headers)).json().data.map((entry: { id: string }) => entry.id);
      expect(listed).not.toContain(client.id);
      expect((await call('DELETE', `/service-clients/${client.id}`, root.headers)).statusCode).toBe(404);
    });

    it('audits create, secret rotation and delete', async () => {
      const audited = await serviceClient(app, root, ['orders:read']);
      await post(app, `/service-clients/${audited.id}/rotate-secret`, root.headers, {});
      await call('DELETE', `/service-clients/${audited.id}`, root.headers);
      const events = await app
        .get(DataSource)
        .getRepository(AuditEvent)
        .find({ where: { targetId: audited.id, actorId: root.id }, order: { at: 'ASC' } });
      expect(events.map(({ action, targetType, outcome }) => ({ action, targetType, outcome }))).toEqual([
        { action: 'service_client.create', targetType: 'service_client', outcome: 'success' },
        { action: 'service_client.rotate_secret', targetType: 'service_client', outcome: 'success' },
        { action: 'service_client.delete', targetType: 'service_client', outcome: 'success' },
      ]);
    });
  });
});
