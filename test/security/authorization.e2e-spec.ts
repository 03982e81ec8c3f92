import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LightMyRequestResponse } from 'fastify';
import { DataSource } from 'typeorm';
import { AuditEventResponse } from '../../src/audit/audit-event.response';
import { AdminOrderResponse, OrderResponse } from '../../src/orders/order.response';
import { AdminProductResponse } from '../../src/products/product.response';
import { AdminUserResponse } from '../../src/user-admin/admin-user.response';
import { UserResponse } from '../../src/users/user.response';
import { clientApiKey, NewApiKey, serviceClient, withApiKey } from '../support/api-keys';
import { manyLoginsEnv } from '../support/auth';
import { expectOnlyExposed, expectPageOfExposed } from '../support/exposure';
import { insertProduct } from '../support/fixtures';
import { admin, Caller, customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The BOLA / BFLA matrix (OWASP API1 and API5): every route with an object id, with every kind of
 * principal. Each gets exactly what docs/http-contract.md allows; others get 404 for objects and 403 for functions.
 */
describe('authorization matrix', () => {
  let testApp: TestApp;
  let app: NestFastifyApplication;
  let alice: Caller;
  let bob: Caller;
  let root: Caller;
  let productId: string;

  beforeAll(async () => {
    testApp = await startTestApp({ env: manyLoginsEnv() });
    app = testApp.app;
    [alice, bob, root] = await Promise.all([customer(app), customer(app), admin(app)]);
    productId = (await insertProduct(app.get(DataSource), { stock: 1000, priceCents: 500 })).id;
  });
  afterAll(() => testApp.close());

  const call = (caller: Caller | undefined, method: string, url: string, payload?: object): Promise<LightMyRequestResponse> =>
    app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers: caller?.headers ?? {}, payload });

  async function placeOrder(caller: Caller): Promise<string> {
    const response = await call(caller, 'POST', '/orders', { items: [{ productId, quantity: 1 }] });
    expect(response.statusCode).toBe(201);
    expectOnlyExposed(response.json(), OrderResponse);
    return response.json().id;
  }

  describe('GET /orders/:id', () => {
    it('the owner reads it (customer view), an admin reads it (admin view), another customer gets 404', async () => {
      const orderId = await placeOrder(alice);
      const own = await call(alice, 'GET', `/orders/${orderId}`);
      expect(own.statusCode).toBe(200);
      expectOnlyExposed(own.json(), OrderResponse);
      expect(own.json()).not.toHaveProperty('userId');

      const asAdmin = await call(root, 'GET', `/orders/${orderId}`);
      expect(asAdmin.statusCode).toBe(200);
      expectOnlyExposed(asAdmin.json(), AdminOrderResponse);
      expect(asAdmin.json().userId).toBe(alice.id);

      const stranger = await call(bob, 'GET', `/orders/${orderId}`);
      const missing = await call(bob, 'GET', '/orders/00000000-0000-4000-8000-000000000000');
      // Not yours looks exactly like does-not-exist: same status, same body apart from the path and request id.
      expect(stranger.statusCode).toBe(404);
      expect(missing.statusCode).toBe(404);
      const strip = (response: LightMyRequestResponse) => ({ ...response.json(), instance: undefined, requestId: undefined });
      expect(strip(stranger)).toEqual(strip(missing));
      expect((await call(undefined, 'GET', `/orders/${orderId}`)).statusCode).toBe(401);
    });
  });

  describe('POST /orders/:id/cancel', () => {
    it('another customer gets 404 and changes nothing; the owner and an admin may cancel', async () => {
      const orderId = await placeOrder(alice);
      expect((await call(bob, 'POST', `/orders/${orderId}/cancel`)).statusCode).toBe(404);
      expect((await call(alice, 'GET', `/orders/${orderId}`)).json().status).toBe('pending');

      const cancelled = await call(alice, 'POST', `/orders/${orderId}/cancel`);
      expect(cancelled.statusCode).toBe(200);
      expect(cancelled.json().status).toBe('cancelled');
      expect((await call(alice, 'POST', `/orders/${orderId}/cancel`)).statusCode).toBe(409);

      const another = await placeOrder(bob);
      const byAdmin = await call(root, 'POST', `/orders/${another}/cancel`);
      expect(byAdmin.statusCode).toBe(200);
      expectOnlyExposed(byAdmin.json(), AdminOrderResponse);
    });
  });

  describe('PATCH /orders/:id/status', () => {
    it('customers (even the owner) get 403; an admin moves it along', async () => {
      const orderId = await placeOrder(alice);
      for (const caller of [alice, bob]) {
        expect((await call(caller, 'PATCH', `/orders/${orderId}/status`, { status: 'paid' })).statusCode).toBe(403);
      }
      const moved = await call(root, 'PATCH', `/orders/${orderId}/status`, { status: 'paid' });
      expect(moved.statusCode).toBe(200);
      expect(moved.json().status).toBe('paid');
      expect((await call(root, 'PATCH', `/orders/${orderId}/status`, { status: 'delivered' })).statusCode).toBe(409);
      expect((await call(root, 'PATCH', '/orders/00000000-0000-4000-8000-000000000000/status', { status: 'paid' })).statusCode).toBe(404);
    });
  });

  describe('GET /orders', () => {
    it('a customer lists only their own orders; an admin lists all and may filter by user', async () => {
      const mine = await placeOrder(alice);
      const theirs = await placeOrder(bob);

      const aliceList = await call(alice, 'GET', '/orders?limit=100');
      expect(aliceList.statusCode).toBe(200);
      expectPageOfExposed(aliceList.json(), OrderResponse);
      const aliceIds = aliceList.json().data.map((order: { id: string }) => order.id);
      expect(aliceIds).toContain(mine);
      expect(aliceIds).not.toContain(theirs);

      const all = await call(root, 'GET', '/orders?limit=100');
      expectPageOfExposed(all.json(), AdminOrderResponse);
      expect(all.json().data.map((order: { id: string }) => order.id)).toEqual(expect.arrayContaining([mine, theirs]));

      const filtered = await call(root, 'GET', `/orders?limit=100&userId=${bob.id}`);
      expect(filtered.json().data.every((order: { userId: string }) => order.userId === bob.id)).toBe(true);
      expect(filtered.json().data.map((order: { id: string }) => order.id)).toContain(theirs);
    });

    it('a customer naming ?userId= gets 400, even their own id', async () => {
      for (const userId of [bob.id, alice.id]) {
        const response = await call(alice, 'GET', `/orders?userId=${userId}`);
        expect(response.statusCode).toBe(400);
        expect(response.json().errors).toEqual([{ field: 'userId', message: expect.any(String) }]);
      }
    });

    it('filters by status', async () => {
      const response = await call(alice, 'GET', '/orders?status=cancelled&limit=100');
      expect(response.json().data.length).toBeGreaterThan(0);
      expect(response.json().data.every((order: { status: string }) => order.status === 'cancelled')).toBe(true);
    });
  });

  describe('products (admin or products:write)', () => {
    it('customers get 403 on writes; an admin creates and edits, and sees the admin view', async () => {
      const body = { sku: `NEW-${Date.now()}`, name: 'New', priceCents: 100, currency: 'EUR', stock: 5, costCents: 40 };
      expect((await call(alice, 'POST', '/products', body)).statusCode).toBe(403);
      const created = await call(root, 'POST', '/products', body);
      expect(created.statusCode).toBe(201);
      expectOnlyExposed(created.json(), AdminProductResponse);
      expect(created.json()).toMatchObject({ costCents: 40, stock: 5, active: true });

      const id = created.json().id;
      expect((await call(bob, 'PATCH', `/products/${id}`, { priceCents: 1 })).statusCode).toBe(403);
      const edited = await call(root, 'PATCH', `/products/${id}`, { priceCents: 150, active: false });
      expect(edited.statusCode).toBe(200);
      expect(edited.json()).toMatchObject({ priceCents: 150, active: false });
      expect((await call(root, 'PATCH', '/products/00000000-0000-4000-8000-000000000000', { priceCents: 1 })).statusCode).toBe(404);
      expect((await call(root, 'POST', '/products', body)).statusCode).toBe(409);
      // Inactive now: gone for the public, still editable by the admin.
      expect((await call(undefined, 'GET', `/products/${id}`)).statusCode).toBe(404);
    });
  });

  describe('admin routes (BFLA)', () => {
    const adminRoutes = (targetId: string, targetKeyId: string): [string, string][] => [
      ['GET', '/users'],
      ['GET', `/users/${targetId}`],
      ['POST', `/users/${targetId}/suspend`],
      ['POST', `/users/${targetId}/reinstate`],
      ['DELETE', `/users/${targetId}/api-keys/${targetKeyId}`],
      ['GET', '/audit-events'],
    ];

    it('every admin route refuses customers with 403 and changes nothing', async () => {
      const bobsKey = await withApiKey(app, bob, { name: 'bob in the matrix' });
      for (const [method, url] of adminRoutes(bob.id, bobsKey.apiKey.id)) {
        const response = await call(alice, method, url, method === 'POST' ? {} : undefined);
        expect({ route: `${method} ${url}`, status: response.statusCode }).toEqual({ route: `${method} ${url}`, status: 403 });
      }
      expect((await call(bob, 'GET', '/users/me')).statusCode).toBe(200);
      expect((await call(bobsKey, 'GET', '/orders')).statusCode).toBe(200);
      expect((await call(root, 'DELETE', `/users/${bob.id}/api-keys/${bobsKey.apiKey.id}`)).statusCode).toBe(204);
    });

    it('an admin lists and reads users through the admin view only', async () => {
      const list = await call(root, 'GET', '/users?limit=100');
      expect(list.statusCode).toBe(200);
      expectPageOfExposed(list.json(), AdminUserResponse);
      const one = await call(root, 'GET', `/users/${alice.id}`);
      expectOnlyExposed(one.json(), AdminUserResponse);
      expect(one.json()).toMatchObject({ id: alice.id, status: 'active', role: 'customer' });
      expect((await call(root, 'GET', '/users/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
      const events = await call(root, 'GET', '/audit-events?limit=5');
      expectPageOfExposed(events.json(), AuditEventResponse);
    });

    it('suspending revokes at once; reinstating lets the user log in again', async () => {
      const carol = await customer(app);
      expect((await call(carol, 'GET', '/users/me')).statusCode).toBe(200);
      expect((await call(root, 'POST', `/users/${carol.id}/suspend`, {})).statusCode).toBe(204);
      expect((await call(carol, 'GET', '/users/me')).statusCode).toBe(401);
      expect((await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: carol.tokens.refreshToken } })).statusCode).toBe(401);
      const suspendedLogin = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: carol.email, password: carol.password } });
      expect(suspendedLogin.statusCode).toBe(401);
      expect((await call(root, 'GET', `/users/${carol.id}`)).json().status).toBe('suspended');

      expect((await call(root, 'POST', `/users/${carol.id}/reinstate`, {})).statusCode).toBe(204);
      const again = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: carol.email, password: carol.password } });
      expect(again.statusCode).toBe(200);
    });

    it('an admin cannot suspend themselves; unknown users are 404; bodies are refused', async () => {
      expect((await call(root, 'POST', `/users/${root.id}/suspend`, {})).statusCode).toBe(409);
      expect((await call(root, 'POST', '/users/00000000-0000-4000-8000-000000000000/suspend', {})).statusCode).toBe(404);
      expect((await call(root, 'POST', `/users/${bob.id}/suspend`, { reason: 'x' })).statusCode).toBe(400);
      expect((await call(bob, 'GET', '/users/me')).statusCode).toBe(200);
    });
  });

  describe('API keys and service clients in the matrix', () => {
    type Headers = { headers: Record<string, string> };
    let aliceKey: Headers & { apiKey: NewApiKey };
    let aliceReadOnlyKey: Headers;
    let adminKey: Headers;
    let reader: Headers;
    let fulfiller: Headers;
    let fulfillerKey: Headers;

    beforeAll(async () => {
      aliceKey = await withApiKey(app, alice);
      aliceReadOnlyKey = await withApiKey(app, alice, { name: 'read only', scopes: ['orders:read'] });
      adminKey = await withApiKey(app, root, { name: 'admin key', scopes: ['orders:read', 'orders:fulfil', 'products:write'] });
      reader = await serviceClient(app, root, ['orders:read']);
      const fulfilment = await serviceClient(app, root, ['orders:read', 'orders:fulfil']);
      fulfiller = fulfilment;
      fulfillerKey = await clientApiKey(app, root, fulfilment);
    });

    const as = (caller: Headers, method: string, url: string, payload?: object) =>
      app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers: caller.headers, payload });

    it("GET /orders/:id: the owner's key reads it; a client with orders:read reads it (admin view); another user's key gets 404", async () => {
      const orderId = await placeOrder(alice);
      const viaKey = await as(aliceKey, 'GET', `/orders/${orderId}`);
      expect(viaKey.statusCode).toBe(200);
      expectOnlyExposed(viaKey.json(), OrderResponse);
      const viaClient = await as(reader, 'GET', `/orders/${orderId}`);
      expect(viaClient.statusCode).toBe(200);
      expectOnlyExposed(viaClient.json(), AdminOrderResponse);
      const bobKey = await withApiKey(app, bob);
      expect((await as(bobKey, 'GET', `/orders/${orderId}`)).statusCode).toBe(404);
    });

    it("POST /orders: a read-only key and service clients get 403; the owner's full key places an order", async () => {
      const body = { items: [{ productId, quantity: 1 }] };
      expect((await as(aliceReadOnlyKey, 'POST', '/orders', body)).statusCode).toBe(403);
      expect((await as(reader, 'POST', '/orders', body)).statusCode).toBe(403);
      expect((await as(fulfiller, 'POST', '/orders', body)).statusCode).toBe(403);
      expect((await as(aliceKey, 'POST', '/orders', body)).statusCode).toBe(201);
    });

    it("cancel: a service client gets 403, another user's key 404", async () => {
      const orderId = await placeOrder(alice);
      expect((await as(fulfiller, 'POST', `/orders/${orderId}/cancel`)).statusCode).toBe(403);
      const bobKey = await withApiKey(app, bob);
      expect((await as(bobKey, 'POST', `/orders/${orderId}/cancel`)).statusCode).toBe(404);
      expect((await as(aliceKey, 'POST', `/orders/${orderId}/cancel`)).statusCode).toBe(200);
    });

    it('PATCH /orders/:id/status: orders:fulfil (client token, client key, admin key) moves it; orders:read alone gets 403', async () => {
      const orderId = await placeOrder(alice);
      expect((await as(reader, 'PATCH', `/orders/${orderId}/status`, { status: 'paid' })).statusCode).toBe(403);
      expect((await as(aliceKey, 'PATCH', `/orders/${orderId}/status`, { status: 'paid' })).statusCode).toBe(403);
      expect((await as(fulfiller, 'PATCH', `/orders/${orderId}/status`, { status: 'paid' })).statusCode).toBe(200);
      expect((await as(fulfillerKey, 'PATCH', `/orders/${orderId}/status`, { status: 'shipped' })).statusCode).toBe(200);
      const byAdminKey = await as(adminKey, 'PATCH', `/orders/${orderId}/status`, { status: 'delivered' });
      expect(byAdminKey.statusCode).toBe(200);
      // An admin's key reads only its owner's orders (GET would be 404): moving Alice's shows only the status.
      expect(Object.keys(byAdminKey.json()).sort()).toEqual(['id', 'status', 'updatedAt']);
      expect((await as(adminKey, 'GET', `/orders/${orderId}`)).statusCode).toBe(404);
    });

    it('PATCH /orders/:id/status with orders:fulfil alone: the move works, but the answer reads nothing of the order', async () => {
      const fulfilOnly = await serviceClient(app, root, ['orders:fulfil']);
      const orderId = await placeOrder(alice);
      // With orders:read as well, the admin view and a 409 that names the current status.
      expect((await as(fulfiller, 'PATCH', `/orders/${orderId}/status`, { status: 'delivered' })).json().detail).toBe(
        'An order cannot move from pending to delivered',
      );
      const moved = await as(fulfilOnly, 'PATCH', `/orders/${orderId}/status`, { status: 'paid' });
      expect(moved.statusCode).toBe(200);
      expect(Object.keys(moved.json()).sort()).toEqual(['id', 'status', 'updatedAt']);
      expect(moved.json()).toMatchObject({ id: orderId, status: 'paid' });
      const refused = await as(fulfilOnly, 'PATCH', `/orders/${orderId}/status`, { status: 'delivered' });
      expect(refused.statusCode).toBe(409);
      expect(refused.body).not.toContain('paid');
      expect(refused.json().detail).toBe('This order cannot move to delivered now');
      expect((await as(fulfilOnly, 'GET', `/orders/${orderId}`)).statusCode).toBe(403);
      const withRead = await as(fulfiller, 'PATCH', `/orders/${orderId}/status`, { status: 'shipped' });
      expectOnlyExposed(withRead.json(), AdminOrderResponse);
    });

    it("GET /orders: a key lists its owner's orders only; a client lists all, with ?userId=", async () => {
      const bobsOrder = await placeOrder(bob);
      const mine = (await as(aliceKey, 'GET', '/orders?limit=100')).json();
      expectPageOfExposed(mine, OrderResponse);
      expect(mine.data.length).toBeGreaterThan(0);
      expect(mine.data.map((order: { id: string }) => order.id)).not.toContain(bobsOrder);
      expect((await as(aliceKey, 'GET', `/orders?userId=${bob.id}`)).statusCode).toBe(400);
      const all = await as(reader, 'GET', `/orders?limit=100&userId=${bob.id}`);
      expect(all.statusCode).toBe(200);
      expectPageOfExposed(all.json(), AdminOrderResponse);
      expect(all.json().data.every((order: { userId: string }) => order.userId === bob.id)).toBe(true);
    });

    it('products: a client without products:write gets 403; an admin key with it may create', async () => {
      const body = { sku: `KEY-${Date.now()}`, name: 'Via key', priceCents: 100, currency: 'EUR', stock: 1 };
      expect((await as(fulfiller, 'POST', '/products', body)).statusCode).toBe(403);
      expect((await as(adminKey, 'POST', '/products', body)).statusCode).toBe(201);
    });

    it("no key and no client ever reaches an admin route (BFLA), not even an admin's key", async () => {
      const alicesKeyId = aliceKey.apiKey.id;
      for (const caller of [aliceKey, adminKey, reader, fulfiller, fulfillerKey]) {
        for (const [method, url] of [
          ['GET', '/users'],
          ['GET', `/users/${bob.id}`],
          ['POST', `/users/${bob.id}/suspend`],
          ['DELETE', `/users/${alice.id}/api-keys/${alicesKeyId}`],
          ['GET', '/audit-events'],
          ['GET', '/service-clients'],
        ]) {
          const response = await as(caller, method, url, method === 'POST' ? {} : undefined);
          expect({ route: `${method} ${url}`, status: response.statusCode }).toEqual({ route: `${method} ${url}`, status: 403 });
        }
      }
      expect((await as(bob, 'GET', '/users/me')).statusCode).toBe(200);
      expect((await as(aliceKey, 'GET', '/orders')).statusCode).toBe(200);
    });

    it('a service client token is not a user: /users/me is 403', async () => {
      expect((await as(reader, 'GET', '/users/me')).statusCode).toBe(403);
    });
  });

  describe('users/me', () => {
    it('each user sees only themselves, through the user view', async () => {
      for (const caller of [alice, bob, root]) {
        const response = await call(caller, 'GET', '/users/me');
        expectOnlyExposed(response.json(), UserResponse);
        expect(response.json().id).toBe(caller.id);
      }
    });
  });
});
