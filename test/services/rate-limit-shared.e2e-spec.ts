import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, TestApp } from '../support/test-app';
import { ownRateLimitCounters } from '../throttling/own-counters';

const PRODUCTS = '/api/v1/products';

describe('General rate limits on Redis, shared by every instance (docs/http-contract.md, Rate limits)', () => {
  const LIMIT = 10;
  let instances: TestApp[];

  beforeAll(async () => {
    // Two instances of one service: one database, one Redis, one counter namespace.
    const env = { RATE_LIMIT_ANONYMOUS: `${LIMIT}/60s`, ...ownRateLimitCounters() };
    const first = await startTestApp({ env });
    instances = [first, await startTestApp({ env, database: first.database })];
  });
  afterAll(async () => {
    await instances[1].close();
    await instances[0].close();
  });

  const get = (instance: number, remoteAddress: string) => instances[instance].app.inject({ url: PRODUCTS, remoteAddress });

  it(`lets exactly ${LIMIT} of ${LIMIT + 1} simultaneous requests through, spread over two instances`, async () => {
    const responses = await Promise.all(Array.from({ length: LIMIT + 1 }, (_, i) => get(i % 2, '198.51.100.1')));
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(200), 429]);
  });

  it('counts down one quota whichever instance answers', async () => {
    expect((await get(0, '198.51.100.2')).headers['ratelimit']).toMatch(new RegExp(`^"anonymous";r=${LIMIT - 1};`));
    expect((await get(1, '198.51.100.2')).headers['ratelimit']).toMatch(new RegExp(`^"anonymous";r=${LIMIT - 2};`));
  });
});

describe('Steady traffic under the limit', () => {
  const LIMIT = 4;
  const WINDOW_MS = 1_000;
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_ANONYMOUS: `${LIMIT}/${WINDOW_MS / 1000}s`, ...ownRateLimitCounters() } });
  });
  afterAll(() => t.close());

  const get = (remoteAddress: string) => t.app.inject({ url: PRODUCTS, remoteAddress });

  it('at half the limit, is never refused over three windows: windows end, they do not slide on each hit', async () => {
    const interval = WINDOW_MS / (LIMIT / 2);
    for (let sent = 0; sent <= (3 * WINDOW_MS) / interval; sent++) {
      const response = await get('198.51.100.3');
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit']).toMatch(/^"anonymous";r=\d+;t=1$/);
      await sleep(interval);
    }
    // The limit was live all along: a burst over it, from the same client, is refused.
    const burst = await Promise.all(Array.from({ length: LIMIT + 1 }, () => get('198.51.100.3')));
    expect(burst.map((response) => response.statusCode)).toContain(429);
  });
});
