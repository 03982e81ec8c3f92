import { randomUUID } from 'node:crypto';
import { insertProducts } from '../support/books';
import { HttpReply } from '../support/http-client';
import { sessionOverHttp } from '../support/remote-auth';
import { lockProductRow } from '../support/row-lock';
import { ServiceDeployment, ServiceInstance } from '../support/service-deployment';
import { until } from '../support/until';

const STOCK = 100;
/** The client's patience: the first attempt, held by the test, outlasts it. */
const CLIENT_TIMEOUT_MS = 1_000;

/**
 * A client whose POST /orders times out cannot know whether the order was placed: it retries with
 * the same Idempotency-Key, and must end up with exactly one order however it retries. To make the
 * first attempt outlast the client's patience, the test holds the product's row lock, so the order
 * waits inside its transaction until the test lets go.
 */
describe('Idempotency-Key under client timeouts and retries (HTTP, real Postgres)', () => {
  let deployment: ServiceDeployment;
  let app: ServiceInstance;

  beforeAll(async () => {
    deployment = await ServiceDeployment.create();
    app = await deployment.start({ env: { RATE_LIMIT_ANONYMOUS: '1000/60s', RATE_LIMIT_AUTHENTICATED: '1000/60s', RATE_LIMIT_LOGIN_IP: '1000/900s' } });
  }, 60_000);
  afterAll(() => deployment?.close());

  /** A customer, a product, and a way to send the same order with the same key. */
  async function scenario() {
    const [productId] = (await insertProducts(deployment.db, [STOCK])).keys();
    const { id: userId, tokens } = await sessionOverHttp(app.http, deployment.db);
    const key = randomUUID();
    const order = (timeoutMs = 10_000) =>
      app.http.send({
        method: 'POST',
        path: '/api/v1/orders',
        token: tokens.accessToken,
        headers: { 'idempotency-key': key },
        body: { items: [{ productId, quantity: 3 }] },
        timeoutMs,
      });
    return { productId, userId, order };
  }

  async function ordersOf(userId: string): Promise<string[]> {
    const { rows } = await deployment.db.query<{ id: string }>('SELECT id FROM orders WHERE user_id = $1', [userId]);
    return rows.map((row) => row.id);
  }

  async function expectOneOrder(userId: string, productId: string, replies: HttpReply[]): Promise<void> {
    for (const reply of replies) {
      expect(reply.status).toBe(201);
      expect(reply.headers['idempotent-replayed']).toBe('true');
    }
    const orders = await ordersOf(userId);
    expect(orders).toHaveLength(1);
    expect(new Set(replies.map((reply) => reply.json().id))).toEqual(new Set(orders));
    const stock = await deployment.db.query<{ stock: number }>('SELECT stock FROM products WHERE id = $1', [productId]);
    expect(stock.rows[0].stock).toBe(STOCK - 3);
  }

  it('times out, then retries at once, five times concurrently: one order, every retry answered with it', async () => {
    const { productId, userId, order } = await scenario();
    const lock = await lockProductRow(deployment.db, productId);
    const firstAttempt = order(CLIENT_TIMEOUT_MS);
    await until(async () => (await lock.waiting()) === 1);
    await expect(firstAttempt).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    // The retries queue behind the first attempt, which still holds the key, before it commits.
    const retries = Promise.all(Array.from({ length: 5 }, () => order()));
    await until(async () => (await lock.waiting()) === 6);
    await lock.release();
    await expectOneOrder(userId, productId, await retries);
  });

  it('times out, then retries one after another once the first attempt went through: one order', async () => {
    const { productId, userId, order } = await scenario();
    const lock = await lockProductRow(deployment.db, productId);
    const firstAttempt = order(CLIENT_TIMEOUT_MS);
    await until(async () => (await lock.waiting()) === 1);
    await expect(firstAttempt).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    await lock.release();
    await until(async () => (await ordersOf(userId)).length === 1);
    const replies: HttpReply[] = [];
    for (let retry = 0; retry < 3; retry++) replies.push(await order());
    await expectOneOrder(userId, productId, replies);
  });
});
