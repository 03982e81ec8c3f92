import { insertProducts } from '../support/books';
import { loginOverHttp, meOverHttp, sessionOverHttp } from '../support/remote-auth';
import { ServiceDeployment, ServiceInstance } from '../support/service-deployment';

const LIMIT = 10;

/**
 * Two processes of the built service on two ports, sharing one Postgres database and one Redis, as
 * behind a load balancer: whichever instance a request lands on, the answer is the same.
 */
describe('Two instances sharing Postgres and Redis', () => {
  let deployment: ServiceDeployment;
  let instances: ServiceInstance[];
  let productId: string;

  beforeAll(async () => {
    deployment = await ServiceDeployment.create();
    // A small per-user limit, to count; registering and logging in (anonymous) stay out of reach.
    const env = { RATE_LIMIT_AUTHENTICATED: `${LIMIT}/60s`, RATE_LIMIT_ANONYMOUS: '1000/60s', RATE_LIMIT_LOGIN_IP: '1000/900s' };
    instances = [await deployment.start({ env }), await deployment.start({ env })];
    [productId] = (await insertProducts(deployment.db, [100])).keys();
  }, 60_000);
  afterAll(() => deployment?.close());

  const [first, second] = [() => instances[0].http, () => instances[1].http];

  it('runs two processes on two ports', () => {
    expect(instances[0].server.port).not.toBe(instances[1].server.port);
    expect(instances[0].server.child.pid).not.toBe(instances[1].server.child.pid);
  });

  it('an order placed through one instance is readable through the other', async () => {
    const { tokens } = await sessionOverHttp(first(), deployment.db);
    const placed = await first().send({ method: 'POST', path: '/api/v1/orders', token: tokens.accessToken, body: { items: [{ productId, quantity: 2 }] } });
    expect(placed.status).toBe(201);
    const read = await second().send({ path: `/api/v1/orders/${placed.json().id}`, token: tokens.accessToken });
    expect(read.status).toBe(200);
    expect(read.json()).toEqual(placed.json());
  });

  it(`counts one per-user limit across both: ${LIMIT} requests pass, alternating instances, then both refuse`, async () => {
    const { tokens } = await sessionOverHttp(first(), deployment.db);
    for (let sent = 1; sent <= LIMIT; sent++) {
      const reply = await (sent % 2 ? first() : second()).send({ path: '/api/v1/users/me', token: tokens.accessToken });
      expect(reply.status).toBe(200);
      expect(reply.headers['ratelimit']).toMatch(new RegExp(`^"authenticated";r=${LIMIT - sent};`));
    }
    for (const instance of [first(), second()]) {
      const refused = await instance.send({ path: '/api/v1/users/me', token: tokens.accessToken });
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    }
  });

  it('a logout on one instance is refused on the other at the next request', async () => {
    const { tokens } = await sessionOverHttp(first(), deployment.db);
    expect((await meOverHttp(second(), tokens.accessToken)).status).toBe(200);
    expect((await first().send({ method: 'POST', path: '/api/v1/auth/logout', token: tokens.accessToken, body: {} })).status).toBe(204);
    expect((await meOverHttp(second(), tokens.accessToken)).status).toBe(401);
  });

  it('a password change on one instance voids the old tokens on the other at the next request', async () => {
    const account = await sessionOverHttp(first(), deployment.db);
    // A second session of the same user, opened on the other instance.
    const elsewhere = await loginOverHttp(second(), account);
    expect((await meOverHttp(second(), account.tokens.accessToken)).status).toBe(200);
    expect((await meOverHttp(second(), elsewhere.accessToken)).status).toBe(200);
    const changed = await first().send({
      method: 'POST',
      path: '/api/v1/auth/password',
      token: account.tokens.accessToken,
      body: { currentPassword: account.password, newPassword: 'a new password for both instances' },
    });
    expect(changed.status).toBe(204);
    expect((await meOverHttp(second(), account.tokens.accessToken)).status).toBe(401);
    expect((await meOverHttp(second(), elsewhere.accessToken)).status).toBe(401);
  });
});
