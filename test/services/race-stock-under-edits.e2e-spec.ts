import { insertProducts } from '../support/books';
import { HttpClient, HttpReply } from '../support/http-client';
import { adminOverHttp, sessionOverHttp } from '../support/remote-auth';
import { ServiceDeployment, ServiceInstance } from '../support/service-deployment';

const ROUNDS = 20;

/**
 * Stock changes only through one atomic statement, and no write path writes a column it did not
 * mean to change: an admin editing a product's description while it sells must not put back a stock
 * read before the sales. Two service processes share one Postgres; orders and edits race over both.
 */
describe('Stock while the product is edited (two instances, Postgres)', () => {
  let deployment: ServiceDeployment;
  let instances: ServiceInstance[];
  let adminToken: string;
  let customerTokens: string[];

  beforeAll(async () => {
    deployment = await ServiceDeployment.create();
    const env = { RATE_LIMIT_AUTHENTICATED: '100000/60s', RATE_LIMIT_ANONYMOUS: '100000/60s', RATE_LIMIT_LOGIN_IP: '100000/900s' };
    instances = [await deployment.start({ env }), await deployment.start({ env })];
    adminToken = (await adminOverHttp(instances[0].http, deployment.db)).tokens.accessToken;
    clients = instances.map((instance) => new HttpClient(instance.server.port, { connections: 64 }));
    customerTokens = await Promise.all([0, 1, 2].map(async (n) => (await sessionOverHttp(instances[n % 2].http, deployment.db)).tokens.accessToken));
  }, 60_000);
  afterAll(async () => {
    clients?.forEach((client) => client.close());
    await deployment?.close();
  });

  // Enough sockets that every request of a round is in flight at once.
  let clients: HttpClient[];
  const through = (n: number) => clients[n % 2];
  const order = (n: number, productId: string) =>
    through(n).send({
      method: 'POST',
      path: '/api/v1/orders',
      token: customerTokens[n % customerTokens.length],
      body: { items: [{ productId, quantity: 1 }] },
    });
  const edit = (n: number, productId: string) =>
    through(n + 1).send({ method: 'PATCH', path: `/api/v1/products/${productId}`, token: adminToken, body: { description: `edit ${n}` } });
  const stockOf = async (productId: string) =>
    (await deployment.db.query<{ stock: number }>('SELECT stock FROM products WHERE id = $1', [productId])).rows[0].stock;
  const count = (replies: HttpReply[], status: number) => replies.filter((reply) => reply.status === status).length;

  it(`${ROUNDS} rounds: 30 orders and 30 description edits at once on a stock of 5 sell exactly 5, stock 0`, async () => {
    const seen: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const [productId] = (await insertProducts(deployment.db, [5])).keys();
      const requests = Array.from({ length: 30 }, (_, n) => [order(n, productId), edit(n, productId)]).flat();
      const replies = await Promise.all(requests);
      const orders = replies.filter((_, index) => index % 2 === 0);
      const edits = replies.filter((_, index) => index % 2 === 1);
      seen.push(`${count(orders, 201)} sold, stock ${await stockOf(productId)}`);
      expect(count(edits, 200)).toBe(30);
      expect(count(orders, 201)).toBe(5);
      expect(count(orders, 409)).toBe(25);
      expect(await stockOf(productId)).toBe(0);
    }
    expect(new Set(seen)).toEqual(new Set(['5 sold, stock 0']));
  });

  it(`${ROUNDS} rounds: a stock of 100 000 after 60 orders and 60 edits reads 99 940`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [productId] = (await insertProducts(deployment.db, [100_000])).keys();
      const replies = await Promise.all(Array.from({ length: 60 }, (_, n) => [order(n, productId), edit(n, productId)]).flat());
      expect(count(replies, 201)).toBe(60);
      expect(count(replies, 200)).toBe(60);
      expect(await stockOf(productId)).toBe(99_940);
    }
  });

  it('an edit changes only the fields it names: a stock set by PATCH is exact, the other columns stay', async () => {
    const [productId] = (await insertProducts(deployment.db, [7])).keys();
    const before = await edit(0, productId);
    expect(before.status).toBe(200);
    const edited = await through(1).send({ method: 'PATCH', path: `/api/v1/products/${productId}`, token: adminToken, body: { stock: 3 } });
    expect(edited.status).toBe(200);
    expect(edited.json()).toEqual({ ...before.json(), stock: 3 });
    expect(await stockOf(productId)).toBe(3);
  });
});
