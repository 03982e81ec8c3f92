import { DataSource } from 'typeorm';
import { ProblemException } from '../../src/common/http/problem.exception';
import { Order } from '../../src/orders/order.entity';
import { OrdersRepository } from '../../src/orders/orders.repository';
import { OrdersService } from '../../src/orders/orders.service';
import { Product } from '../../src/products/product.entity';
import { User } from '../../src/users/user.entity';
import { actorFor, ADMIN, insertProduct, insertUser, stockOf } from '../support/fixtures';
import { startTestServices, TestServices } from '../support/test-services';

/** The order domain against a real database (embedded PGlite, or Postgres in the service suite), without HTTP. */
describe('OrdersService', () => {
  let services: TestServices;
  let dataSource: DataSource;
  let orders: OrdersService;
  let orderRows: OrdersRepository;
  let alice: User;
  let bob: User;

  beforeAll(async () => {
    services = await startTestServices();
    dataSource = services.app.get(DataSource);
    orders = services.app.get(OrdersService);
    orderRows = services.app.get(OrdersRepository);
    alice = await insertUser(dataSource);
    bob = await insertUser(dataSource);
  });
  afterAll(() => services.close());

  async function expectProblem(promise: Promise<unknown>, status: number): Promise<void> {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ProblemException);
    expect((error as ProblemException).getStatus()).toBe(status);
  }

  const orderCount = async () => dataSource.getRepository(Order).count();

  it('prices an order from the database, snapshots the lines and takes the stock', async () => {
    const mug = await insertProduct(dataSource, { priceCents: 1250, stock: 5 });
    const tee = await insertProduct(dataSource, { priceCents: 999, stock: 2 });
    const { order, replayed } = await orders.place(
      alice.id,
      {
        items: [
          { productId: mug.id, quantity: 2 },
          { productId: tee.id, quantity: 1 },
        ],
      },
      actorFor(alice.id),
    );
    expect(replayed).toBe(false);
    expect(order).toMatchObject({ userId: alice.id, status: 'pending', currency: 'EUR', totalCents: 2 * 1250 + 999 });
    expect(order.items.map((line) => [line.sku, line.unitPriceCents, line.quantity, line.lineTotalCents])).toEqual([
      [mug.sku, 1250, 2, 2500],
      [tee.sku, 999, 1, 999],
    ]);
    expect(await stockOf(dataSource, mug.id)).toBe(3);
    expect(await stockOf(dataSource, tee.id)).toBe(1);

    // The lines are a snapshot: a later price change does not rewrite the order.
    await dataSource.getRepository(Product).update(mug.id, { priceCents: 5000 });
    expect((await orderRows.find(order.id, alice.id))!.totalCents).toBe(3499);
  });

  it('answers with the order exactly as it was stored, without reading it back', async () => {
    const mug = await insertProduct(dataSource, { stock: 5 });
    const tee = await insertProduct(dataSource, { stock: 5 });
    const items = [
      { productId: tee.id, quantity: 1 },
      { productId: mug.id, quantity: 3 },
    ];
    const { order } = await orders.place(alice.id, { items }, actorFor(alice.id));
    expect(order).toEqual(await orderRows.find(order.id, alice.id));
  });

  it('places an order in four round trips to the database: BEGIN, the lock, one write, COMMIT', async () => {
    const mug = await insertProduct(dataSource, { stock: 5 });
    const tee = await insertProduct(dataSource, { stock: 5 });
    // Every statement, BEGIN and COMMIT included, goes through a query runner's query().
    const runner = dataSource.createQueryRunner();
    const query = jest.spyOn(Object.getPrototypeOf(runner) as { query: (sql: string) => Promise<unknown> }, 'query');
    await runner.release();
    try {
      const items = [
        { productId: mug.id, quantity: 1 },
        { productId: tee.id, quantity: 1 },
      ];
      await orders.place(alice.id, { items }, actorFor(alice.id));
      expect(query.mock.calls.map(([sql]) => sql.trim().split(/\s/)[0].toUpperCase())).toEqual(['START', 'SELECT', 'WITH', 'COMMIT']);
    } finally {
      query.mockRestore();
    }
  });

  it('refuses an unknown or inactive product with 422 and keeps nothing', async () => {
    const retired = await insertProduct(dataSource, { active: false });
    const fine = await insertProduct(dataSource, { stock: 5 });
    const before = await orderCount();
    await expectProblem(
      orders.place(
        alice.id,
        {
          items: [
            { productId: fine.id, quantity: 1 },
            { productId: retired.id, quantity: 1 },
          ],
        },
        actorFor(alice.id),
      ),
      422,
    );
    await expectProblem(orders.place(alice.id, { items: [{ productId: '00000000-0000-4000-8000-000000000000', quantity: 1 }] }, actorFor(alice.id)), 422);
    expect(await orderCount()).toBe(before);
    expect(await stockOf(dataSource, fine.id)).toBe(5);
  });

  it('refuses mixed currencies with 422', async () => {
    const euro = await insertProduct(dataSource, { currency: 'EUR' });
    const dollar = await insertProduct(dataSource, { currency: 'USD' });
    await expectProblem(
      orders.place(
        alice.id,
        {
          items: [
            { productId: euro.id, quantity: 1 },
            { productId: dollar.id, quantity: 1 },
          ],
        },
        actorFor(alice.id),
      ),
      422,
    );
  });

  it('refuses the same product twice with 400', async () => {
    const product = await insertProduct(dataSource);
    await expectProblem(
      orders.place(
        alice.id,
        {
          items: [
            { productId: product.id, quantity: 1 },
            { productId: product.id.toUpperCase(), quantity: 1 },
          ],
        },
        actorFor(alice.id),
      ),
      400,
    );
  });

  it('refuses an order it cannot fill with 409, all or nothing', async () => {
    const plenty = await insertProduct(dataSource, { stock: 50 });
    const scarce = await insertProduct(dataSource, { stock: 1 });
    const before = await orderCount();
    await expectProblem(
      orders.place(
        alice.id,
        {
          items: [
            { productId: plenty.id, quantity: 10 },
            { productId: scarce.id, quantity: 2 },
          ],
        },
        actorFor(alice.id),
      ),
      409,
    );
    expect(await orderCount()).toBe(before);
    expect(await stockOf(dataSource, plenty.id)).toBe(50);
    expect(await stockOf(dataSource, scarce.id)).toBe(1);
  });

  describe('Idempotency-Key', () => {
    it('replays the first order for the same key and body, placing nothing new', async () => {
      const product = await insertProduct(dataSource, { stock: 10 });
      const body = { items: [{ productId: product.id, quantity: 3 }] };
      const first = await orders.place(alice.id, body, actorFor(alice.id), 'retry-1');
      const again = await orders.place(alice.id, body, actorFor(alice.id), 'retry-1');
      expect(again.replayed).toBe(true);
      expect(again.order.id).toBe(first.order.id);
      expect(await stockOf(dataSource, product.id)).toBe(7);
    });

    it('refuses the same key with another body with 422', async () => {
      const product = await insertProduct(dataSource, { stock: 10 });
      await orders.place(alice.id, { items: [{ productId: product.id, quantity: 1 }] }, actorFor(alice.id), 'retry-2');
      await expectProblem(orders.place(alice.id, { items: [{ productId: product.id, quantity: 2 }] }, actorFor(alice.id), 'retry-2'), 422);
      expect(await stockOf(dataSource, product.id)).toBe(9);
    });

    it('keeps keys per user: the same key from another user is a new order', async () => {
      const product = await insertProduct(dataSource, { stock: 10 });
      const body = { items: [{ productId: product.id, quantity: 1 }] };
      const mine = await orders.place(alice.id, body, actorFor(alice.id), 'shared-key');
      const theirs = await orders.place(bob.id, body, actorFor(bob.id), 'shared-key');
      expect(theirs.replayed).toBe(false);
      expect(theirs.order.id).not.toBe(mine.order.id);
    });

    it('lets a key be used again after a failed attempt (nothing was placed)', async () => {
      const product = await insertProduct(dataSource, { stock: 1 });
      const body = { items: [{ productId: product.id, quantity: 1 }] };
      await expectProblem(orders.place(alice.id, { items: [{ productId: product.id, quantity: 5 }] }, actorFor(alice.id), 'after-409'), 409);
      const placed = await orders.place(alice.id, body, actorFor(alice.id), 'after-409');
      expect(placed.replayed).toBe(false);
    });
  });

  describe('ownership', () => {
    it('finds an order only within its owner scope', async () => {
      const product = await insertProduct(dataSource);
      const { order } = await orders.place(alice.id, { items: [{ productId: product.id, quantity: 1 }] }, actorFor(alice.id));
      expect(await orderRows.find(order.id, alice.id)).not.toBeNull();
      expect(await orderRows.find(order.id, bob.id)).toBeNull();
      expect(await orderRows.find(order.id, undefined)).not.toBeNull();
      await expectProblem(orders.cancel(order, bob.id, actorFor(bob.id)), 404);
    });
  });

  describe('status machine', () => {
    async function newOrder(quantity = 2) {
      const product = await insertProduct(dataSource, { stock: 10 });
      const { order } = await orders.place(alice.id, { items: [{ productId: product.id, quantity }] }, actorFor(alice.id));
      return { order, product };
    }

    it('moves pending → paid → shipped → delivered, one step at a time', async () => {
      const { order } = await newOrder();
      await expectProblem(orders.changeStatus(order, 'shipped', ADMIN, true), 409);
      expect((await orders.changeStatus(order, 'paid', ADMIN, true)).status).toBe('paid');
      await expectProblem(orders.changeStatus(order, 'paid', ADMIN, true), 409);
      expect((await orders.changeStatus(order, 'shipped', ADMIN, true)).status).toBe('shipped');
      await expectProblem(orders.changeStatus(order, 'pending', ADMIN, true), 409);
      expect((await orders.changeStatus(order, 'delivered', ADMIN, true)).status).toBe('delivered');
      await expectProblem(orders.cancel(order, alice.id, actorFor(alice.id)), 409);
    });

    it('cancels from pending or paid and puts the stock back exactly once', async () => {
      const { order, product } = await newOrder(4);
      expect(await stockOf(dataSource, product.id)).toBe(6);
      await orders.changeStatus(order, 'paid', ADMIN, true);
      expect((await orders.cancel(order, alice.id, actorFor(alice.id))).status).toBe('cancelled');
      expect(await stockOf(dataSource, product.id)).toBe(10);
      await expectProblem(orders.cancel(order, alice.id, actorFor(alice.id)), 409);
      await expectProblem(orders.changeStatus(order, 'paid', ADMIN, true), 409);
      expect(await stockOf(dataSource, product.id)).toBe(10);
    });

    it('refuses cancelling through the status route', async () => {
      const { order } = await newOrder();
      await expectProblem(orders.changeStatus(order, 'cancelled', ADMIN, true), 409);
    });

    it('gives stock back once even when two cancels race', async () => {
      const { order, product } = await newOrder(3);
      const results = await Promise.allSettled([orders.cancel(order, alice.id, actorFor(alice.id)), orders.cancel(order, alice.id, actorFor(alice.id))]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      expect(await stockOf(dataSource, product.id)).toBe(10);
    });
  });

  describe('pages', () => {
    it('lists an owner its own orders only, newest first, a page at a time, with the total', async () => {
      const [carol, dave] = [await insertUser(dataSource), await insertUser(dataSource)];
      const product = await insertProduct(dataSource, { stock: 20 });
      const placed: string[] = [];
      for (let i = 0; i < 5; i++) placed.push((await orders.place(carol.id, { items: [{ productId: product.id, quantity: 1 }] }, actorFor(carol.id))).order.id);
      await orders.place(dave.id, { items: [{ productId: product.id, quantity: 1 }] }, actorFor(dave.id));

      const pages = [
        await orders.list(carol.id, { limit: 2, offset: 0 }),
        await orders.list(carol.id, { limit: 2, offset: 2 }),
        await orders.list(carol.id, { limit: 2, offset: 4 }),
      ];
      expect(pages.map((page) => page.total)).toEqual([5, 5, 5]);
      expect(pages.flatMap((page) => page.rows.map((order) => order.id))).toEqual([...placed].reverse());
      // Another owner's filter does not widen the scope: the owner is the scope.
      expect((await orders.list(carol.id, { userId: dave.id, limit: 20, offset: 0 })).total).toBe(5);
    });

    it('lets the unscoped (staff) list filter by user and status', async () => {
      const erin = await insertUser(dataSource);
      const product = await insertProduct(dataSource, { stock: 10 });
      const [first, second] = [
        (await orders.place(erin.id, { items: [{ productId: product.id, quantity: 1 }] }, actorFor(erin.id))).order,
        (await orders.place(erin.id, { items: [{ productId: product.id, quantity: 2 }] }, actorFor(erin.id))).order,
      ];
      await orders.changeStatus(first, 'paid', ADMIN, true);
      expect((await orders.list(undefined, { userId: erin.id, limit: 20, offset: 0 })).total).toBe(2);
      const paid = await orders.list(undefined, { userId: erin.id, status: 'paid', limit: 20, offset: 0 });
      expect(paid.rows.map((order) => order.id)).toEqual([first.id]);
      const pending = await orders.list(undefined, { userId: erin.id, status: 'pending', limit: 20, offset: 0 });
      expect(pending.rows.map((order) => [order.id, order.items.map((line) => line.quantity)])).toEqual([[second.id, [2]]]);
    });
  });

  it('never oversells under concurrent orders', async () => {
    const product = await insertProduct(dataSource, { stock: 5 });
    const attempts = Array.from({ length: 12 }, () => orders.place(alice.id, { items: [{ productId: product.id, quantity: 1 }] }, actorFor(alice.id)));
    const results = await Promise.allSettled(attempts);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5);
    for (const result of results.filter((r) => r.status === 'rejected')) {
      expect((result.reason as ProblemException).getStatus()).toBe(409);
    }
    expect(await stockOf(dataSource, product.id)).toBe(0);
  });
});
