import { DataSource } from 'typeorm';
import { ProblemException } from '../../src/common/http/problem.exception';
import { OrdersService } from '../../src/orders/orders.service';
import { actorFor, insertProduct, insertUser, stockOf } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Only meaningful on a real Postgres pool, where transactions truly run side by side. */
describe('concurrent orders on Postgres', () => {
  let testApp: TestApp;
  let dataSource: DataSource;
  let orders: OrdersService;

  beforeAll(async () => {
    testApp = await startTestApp();
    dataSource = testApp.app.get(DataSource);
    orders = testApp.app.get(OrdersService);
  });
  afterAll(() => testApp.close());

  function outcomes(results: PromiseSettledResult<unknown>[]): { placed: number; statuses: number[]; unexpected: unknown[] } {
    const rejected = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected').map((result) => result.reason);
    return {
      placed: results.length - rejected.length,
      statuses: rejected.filter((reason) => reason instanceof ProblemException).map((reason: ProblemException) => reason.getStatus()),
      unexpected: rejected.filter((reason) => !(reason instanceof ProblemException)),
    };
  }

  it('50 concurrent orders for a stock of 10: exactly 10 succeed, the rest 409, stock ends at 0', async () => {
    const user = await insertUser(dataSource);
    const product = await insertProduct(dataSource, { stock: 10 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () => orders.place(user.id, { items: [{ productId: product.id, quantity: 1 }] }, actorFor(user.id))),
    );
    const { placed, statuses, unexpected } = outcomes(results);
    expect(unexpected).toEqual([]);
    expect(placed).toBe(10);
    expect(statuses).toEqual(Array(40).fill(409));
    expect(await stockOf(dataSource, product.id)).toBe(0);
  });

  it('orders naming the same products in opposite orders never deadlock', async () => {
    const user = await insertUser(dataSource);
    const a = await insertProduct(dataSource, { stock: 1000 });
    const b = await insertProduct(dataSource, { stock: 1000 });
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, index) =>
        orders.place(
          user.id,
          {
            items:
              index % 2 === 0
                ? [
                    { productId: a.id, quantity: 1 },
                    { productId: b.id, quantity: 2 },
                  ]
                : [
                    { productId: b.id, quantity: 2 },
                    { productId: a.id, quantity: 1 },
                  ],
          },
          actorFor(user.id),
        ),
      ),
    );
    const { placed, unexpected } = outcomes(results);
    expect(unexpected).toEqual([]);
    expect(placed).toBe(40);
    expect(await stockOf(dataSource, a.id)).toBe(960);
    expect(await stockOf(dataSource, b.id)).toBe(920);
  });

  it('concurrent retries with one Idempotency-Key place one order', async () => {
    const user = await insertUser(dataSource);
    const product = await insertProduct(dataSource, { stock: 100 });
    const body = { items: [{ productId: product.id, quantity: 1 }] };
    const results = await Promise.all(Array.from({ length: 10 }, () => orders.place(user.id, body, actorFor(user.id), 'one-click')));
    expect(new Set(results.map((result) => result.order.id)).size).toBe(1);
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    expect(await stockOf(dataSource, product.id)).toBe(99);
  });
});
