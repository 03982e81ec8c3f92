import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS_CLIENT } from '../../src/redis/redis.module';
import { usageWritten, withApiKey } from '../support/api-keys';
import { manyLoginsEnv } from '../support/auth';
import { insertProduct } from '../support/fixtures';
import { customer } from '../support/principals';
import { startTestApp, TestApp } from '../support/test-app';
import { ownRateLimitCounters } from '../throttling/own-counters';

/**
 * docs/design.md, Performance: one round trip to Redis per authenticated request (the revocation check, the
 * principal's rate limit and the check that the revocation store still holds its data, together), none for a
 * route no Redis limit covers. A round trip is one write to the client's socket: a pipeline or a script is one.
 */
describe('Round trips to Redis per request', () => {
  let t: TestApp;
  let redis: Redis;
  let orderUrl: string;
  let tokenHeaders: Record<string, string>;
  let keyHeaders: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...manyLoginsEnv(), ...ownRateLimitCounters() } });
    redis = t.app.get<Redis>(REDIS_CLIENT);
    const alice = await customer(t.app);
    const productId = (await insertProduct(t.app.get(DataSource), { stock: 10 })).id;
    const order = await t.app.inject({ method: 'POST', url: '/api/v1/orders', headers: alice.headers, payload: { items: [{ productId, quantity: 1 }] } });
    orderUrl = `/api/v1/orders/${order.json<{ id: string }>().id}`;
    tokenHeaders = alice.headers;
    keyHeaders = (await withApiKey(t.app, alice)).headers;
  });
  afterAll(() => t.close());

  /** What the request sent to Redis: socket writes (round trips) and commands. */
  async function redisTrafficOf(request: () => Promise<{ statusCode: number }>): Promise<{ roundTrips: number; commands: number }> {
    const writes = jest.spyOn(redis.stream, 'write');
    const commands = jest.spyOn(redis, 'sendCommand');
    try {
      expect((await request()).statusCode).toBe(200);
      return { roundTrips: writes.mock.calls.length, commands: commands.mock.calls.length };
    } finally {
      writes.mockRestore();
      commands.mockRestore();
    }
  }

  it('a read with an access token: one round trip, one command', async () => {
    const read = () => t.app.inject({ url: orderUrl, headers: tokenHeaders });
    // The first use of a script may load it into Redis (NOSCRIPT, then EVAL): not what every request costs.
    await read();
    expect(await redisTrafficOf(read)).toEqual({ roundTrips: 1, commands: 1 });
  });

  it('a read with an API key: one round trip', async () => {
    const read = () => t.app.inject({ url: orderUrl, headers: keyHeaders });
    await read();
    await usageWritten(t.app);
    expect(await redisTrafficOf(read)).toEqual({ roundTrips: 1, commands: 1 });
  });

  it('a health probe: none', async () => {
    expect(await redisTrafficOf(() => t.app.inject({ url: '/health/live' }))).toEqual({ roundTrips: 0, commands: 0 });
  });
});
