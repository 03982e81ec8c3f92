import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { Order } from '../../src/orders/order.entity';
import { User } from '../../src/users/user.entity';
import { UserResponse } from '../../src/users/user.response';
import { manyLoginsEnv, uniqueEmail } from '../support/auth';
import { expectOnlyExposed } from '../support/exposure';
import { insertProduct, stockOf } from '../support/fixtures';
import { Caller, customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';

/** OWASP API3 (mass assignment): a body can set only what its DTO names; anything else is 400 and changes nothing. */
describe('mass assignment', () => {
  let testApp: TestApp;
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  let alice: Caller;
  let productId: string;

  beforeAll(async () => {
    testApp = await startTestApp({ env: manyLoginsEnv() });
    app = testApp.app;
    dataSource = app.get(DataSource);
    alice = await customer(app);
    productId = (await insertProduct(dataSource, { stock: 10, priceCents: 700 })).id;
  });
  afterAll(() => testApp.close());

  it('register with role: "admin" (or any extra field) is 400 and creates nobody', async () => {
    for (const extra of [{ role: 'admin' }, { status: 'active' }, { id: '00000000-0000-4000-8000-000000000000' }, { passwordHash: 'x' }]) {
      const email = uniqueEmail();
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email, password: 'a-long-enough-password', name: 'Eve', ...extra },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors.map((error: { field: string }) => error.field)).toEqual(Object.keys(extra));
      expect(await dataSource.getRepository(User).countBy({ email })).toBe(0);
    }
  });

  // Each case is built inside the test, when the product exists, so the only fault is the extra field.
  const line = () => ({ productId, quantity: 1 });
  it.each([
    ['priceCents', () => ({ items: [{ ...line(), priceCents: 1 }] }), 'items.0.priceCents'],
    ['totalCents', () => ({ items: [line()], totalCents: 1 }), 'totalCents'],
    ['status', () => ({ items: [line()], status: 'delivered' }), 'status'],
    ['userId', () => ({ items: [line()], userId: '00000000-0000-4000-8000-000000000000' }), 'userId'],
    ['currency', () => ({ items: [line()], currency: 'XXX' }), 'currency'],
  ])('an order naming %s is 400 and places nothing', async (_, payload, field) => {
    const before = await dataSource.getRepository(Order).count();
    const response = await app.inject({ method: 'POST', url: '/api/v1/orders', headers: alice.headers, payload: payload() });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ field, message: expect.stringContaining('should not exist') }]);
    expect(await dataSource.getRepository(Order).count()).toBe(before);
    expect(await stockOf(dataSource, productId)).toBe(10);
  });

  it.each([
    ['email', { email: 'new@example.test' }],
    ['role', { role: 'admin' }],
    ['name with role', { name: 'Ok', role: 'admin' }],
  ])('PATCH /users/me with %s is 400 and changes nothing', async (_, payload) => {
    const response = await app.inject({ method: 'PATCH', url: '/api/v1/users/me', headers: alice.headers, payload });
    expect(response.statusCode).toBe(400);
    const stored = await dataSource.getRepository(User).findOneByOrFail({ id: alice.id });
    expect(stored).toMatchObject({ email: alice.email, role: 'customer', name: 'Test User' });
  });

  it('the same order without the extra field is placed (so the 400s above were for that field)', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/orders', headers: alice.headers, payload: { items: [line()] } });
    expect(response.statusCode).toBe(201);
    expect(response.json().totalCents).toBe(700);
  });

  it('PATCH /users/me with just a name works', async () => {
    const response = await app.inject({ method: 'PATCH', url: '/api/v1/users/me', headers: alice.headers, payload: { name: 'Alice' } });
    expect(response.statusCode).toBe(200);
    expectOnlyExposed(response.json(), UserResponse);
    expect(response.json().name).toBe('Alice');
  });

  it('the exposure check itself fails on a field outside the whitelist (a check that cannot fail proves nothing)', () => {
    const leaked = { id: 'x', email: 'e', name: 'n', role: 'customer', createdAt: 'now', passwordHash: '$argon2id$...' };
    expect(() => expectOnlyExposed(leaked, UserResponse)).toThrow();
  });
});
