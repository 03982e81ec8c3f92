import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, login, loginRequest, manyLoginsEnv, refreshRequest } from '../support/auth';
import { insertProduct } from '../support/fixtures';
import { admin, Caller, customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';

/** docs/http-contract.md, Audit: each listed action leaves an event; none holds a secret; none can be rewritten. */
describe('audit trail', () => {
  let testApp: TestApp;
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  let root: Caller;
  let alice: Caller;
  const secrets: string[] = [];

  beforeAll(async () => {
    testApp = await startTestApp({ env: manyLoginsEnv() });
    app = testApp.app;
    dataSource = app.get(DataSource);
    root = await admin(app);
    alice = await customer(app);
    secrets.push(root.password, alice.password, root.tokens.accessToken, root.tokens.refreshToken, alice.tokens.accessToken, alice.tokens.refreshToken);

    // One of every audited action this part of the API offers.
    await loginRequest(app, alice.email, 'a-wrong-password-123');
    const refreshed = (await refreshRequest(app, alice.tokens.refreshToken)).json();
    secrets.push(refreshed.accessToken, refreshed.refreshToken);
    const productId = (await insertProduct(dataSource, { stock: 10 })).id;
    const call = (caller: Caller | { headers: Record<string, string> }, method: string, url: string, payload?: object) =>
      app.inject({ method: method as 'POST', url: `/api/v1${url}`, headers: caller.headers, payload });
    const aliceNow = { headers: bearer(refreshed.accessToken) };
    const order = (await call(aliceNow, 'POST', '/orders', { items: [{ productId, quantity: 1 }] })).json();
    await call(root, 'PATCH', `/orders/${order.id}/status`, { status: 'paid' });
    await call(aliceNow, 'POST', `/orders/${order.id}/cancel`);
    const product = (await call(root, 'POST', '/products', { sku: 'AUD-1', name: 'Audited', priceCents: 1, currency: 'EUR', stock: 1 })).json();
    await call(root, 'PATCH', `/products/${product.id}`, { name: 'Audited again' });
    await call(root, 'POST', `/users/${alice.id}/suspend`, {});
    await call(root, 'POST', `/users/${alice.id}/reinstate`, {});
    const again = await login(app, alice);
    secrets.push(again.accessToken, again.refreshToken);
    // Logout first: a password change revokes every token of the user, this one included.
    expect((await call({ headers: bearer(again.accessToken) }, 'POST', '/auth/logout', {})).statusCode).toBe(204);
    const last = await login(app, alice);
    secrets.push(last.accessToken, last.refreshToken, 'another-long-password-1');
    const changed = await call({ headers: bearer(last.accessToken) }, 'POST', '/auth/password', {
      currentPassword: alice.password,
      newPassword: 'another-long-password-1',
    });
    expect(changed.statusCode).toBe(204);
  });
  afterAll(() => testApp.close());

  async function events(query = 'limit=100') {
    const response = await app.inject({ method: 'GET', url: `/api/v1/audit-events?${query}`, headers: root.headers });
    expect(response.statusCode).toBe(200);
    return response.json().data as Array<Record<string, string | null>>;
  }

  it.each([
    ['auth.register', 'success'],
    ['auth.login', 'success'],
    ['auth.login', 'failure'],
    ['auth.refresh', 'success'],
    ['order.place', 'success'],
    ['order.status_change', 'success'],
    ['order.cancel', 'success'],
    ['product.create', 'success'],
    ['product.update', 'success'],
    ['user.suspend', 'success'],
    ['user.reinstate', 'success'],
  ])('records %s (%s) with actor, target, IP and request id', async (action, outcome) => {
    const found = (await events(`action=${action}&limit=100`)).filter((event) => event.outcome === outcome);
    expect(found.length).toBeGreaterThan(0);
    for (const event of found) {
      expect(event).toMatchObject({ action, outcome, ip: expect.any(String), requestId: expect.any(String), at: expect.any(String) });
    }
  });

  it('records password change and logout', async () => {
    const actions = new Set((await events()).map((event) => event.action));
    expect([...actions]).toEqual(expect.arrayContaining(['auth.password_change', 'auth.logout']));
  });

  it('filters by actor', async () => {
    const byAdmin = await events(`actorId=${root.id}&limit=100`);
    expect(byAdmin.length).toBeGreaterThan(0);
    expect(byAdmin.every((event) => event.actorId === root.id)).toBe(true);
  });

  it('never holds a password, token or secret', async () => {
    const rows = JSON.stringify(await dataSource.query('SELECT * FROM audit_events'));
    for (const secret of secrets) expect(rows).not.toContain(secret);
  });

  it('cannot be changed or deleted, even with SQL from the application role', async () => {
    const [event] = await dataSource.query('SELECT id FROM audit_events LIMIT 1');
    await expect(dataSource.query(`UPDATE audit_events SET action = 'forged' WHERE id = $1`, [event.id])).rejects.toThrow(/append-only/);
    await expect(dataSource.query('DELETE FROM audit_events WHERE id = $1', [event.id])).rejects.toThrow(/append-only/);
    await expect(dataSource.query('TRUNCATE audit_events')).rejects.toThrow(/append-only/);
    expect((await dataSource.query('SELECT action FROM audit_events WHERE id = $1', [event.id]))[0].action).not.toBe('forged');
  });

  it('has no route that changes or deletes events', async () => {
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE'] as const) {
      const response = await app.inject({ method, url: '/api/v1/audit-events', headers: root.headers, payload: {} });
      // The path exists for reading only (RFC 9110 §15.5.6).
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
    }
  });
});
