import { DataSource } from 'typeorm';
import { serviceClient, withApiKey } from '../support/api-keys';
import { manyLoginsEnv } from '../support/auth';
import { insertProduct } from '../support/fixtures';
import { admin, customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * A route that takes no fields refuses a body that has some (docs/http-contract.md, General rules),
 * as an unknown field is refused everywhere else: `400`, and nothing changes. `{}` and no body work.
 */
describe('Routes that take no body', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ env: manyLoginsEnv() });
  });
  afterAll(() => testApp.close());

  it('refuse a body field on DELETE and cancel routes with 400, and change nothing; then work without one', async () => {
    const app = testApp.app;
    const [alice, root] = await Promise.all([customer(app), admin(app)]);
    const aliceWithKey = await withApiKey(app, alice);
    const aliceKey = aliceWithKey.apiKey;
    const client = await serviceClient(app, root, ['orders:read']);
    const productId = (await insertProduct(app.get(DataSource), { stock: 10 })).id;
    const order = await app.inject({ method: 'POST', url: '/api/v1/orders', headers: alice.headers, payload: { items: [{ productId, quantity: 1 }] } });
    const routes = [
      { method: 'DELETE', url: `/api/v1/api-keys/${aliceKey.id}`, headers: alice.headers, done: 204 },
      {
        method: 'DELETE',
        url: `/api/v1/users/${alice.id}/api-keys/${(await withApiKey(app, alice, { name: 'second' })).apiKey.id}`,
        headers: root.headers,
        done: 204,
      },
      { method: 'DELETE', url: `/api/v1/service-clients/${client.id}`, headers: root.headers, done: 204 },
      { method: 'POST', url: `/api/v1/orders/${order.json().id}/cancel`, headers: alice.headers, done: 200 },
    ] as const;
    for (const route of routes) {
      const refused = await app.inject({ method: route.method, url: route.url, headers: route.headers, payload: { reason: 'x' } });
      expect([route.url, refused.statusCode, refused.json().detail]).toEqual([route.url, 400, 'This route takes no body fields']);
    }
    // Nothing changed: the key still works, the order is still pending.
    expect((await app.inject({ url: '/api/v1/orders', headers: aliceWithKey.headers })).statusCode).toBe(200);
    expect((await app.inject({ url: `/api/v1/orders/${order.json().id}`, headers: alice.headers })).json().status).toBe('pending');
    for (const route of routes) {
      expect((await app.inject({ method: route.method, url: route.url, headers: route.headers, payload: {} })).statusCode).toBe(route.done);
    }
  });
});
