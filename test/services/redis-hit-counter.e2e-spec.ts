import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { closeRedisClient, createRedisClient } from '../../src/redis/redis-client';
import { HitCounterUnavailableError } from '../../src/throttling/hit-counter';
import { RedisHitCounter } from '../../src/throttling/redis-hit-counter';
import { describeHitCounterContract } from '../support/hit-counter-contract';

// A fresh prefix per run keeps these keys apart from anything else in the machine's Redis.
const keyPrefix = `test:rl:${randomBytes(8).toString('hex')}:`;

async function connect(url: string): Promise<Redis> {
  const redis = createRedisClient(url);
  // The client rejects commands until it is ready (no offline queue).
  await once(redis, 'ready');
  return redis;
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

describe('RedisHitCounter', () => {
  let redis: Redis;
  let counter: RedisHitCounter;

  beforeAll(async () => {
    redis = await connect(process.env.REDIS_URL!);
    counter = new RedisHitCounter(redis, { keyPrefix });
  });

  afterAll(async () => {
    await deleteKeys(redis, `${keyPrefix}*`);
    await closeRedisClient(redis);
  });

  describe('HitCounter contract', () => {
    describeHitCounterContract(() => ({ counter, elapse: (ms) => sleep(ms) }));
  });

  it('stores each counter under <prefix>{<key>}, one Cluster hash tag per counter', async () => {
    await counter.hit('tagged', { windowMs: 5_000, limit: 5 });
    expect(await redis.get(`${keyPrefix}{tagged}`)).toBe('1');
  });

  it('repairs a key left without a TTL on the next hit, so it expires instead of blocking forever', async () => {
    const key = `${keyPrefix}{orphan}`;
    await redis.set(key, '5');
    const result = await counter.hit('orphan', { windowMs: 200, limit: 3 });
    expect(result).toEqual(expect.objectContaining({ hits: 6, blocked: true }));
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(200);
    await sleep(250);
    expect(await redis.exists(key)).toBe(0);
    expect(await counter.hit('orphan', { windowMs: 200, limit: 3 })).toEqual(expect.objectContaining({ hits: 1, blocked: false }));
  });

  it('does not report a key left without a TTL as a block when peeking', async () => {
    const key = `${keyPrefix}{orphan-peek}`;
    await redis.set(key, '50');
    expect(await counter.peek('orphan-peek')).toEqual({ hits: 0, resetMs: 0 });
    expect(await redis.exists(key)).toBe(0);
  });

  it('lets exactly N of N+1 concurrent hits through across two connections', async () => {
    const other = await connect(process.env.REDIS_URL!);
    try {
      const counters = [counter, new RedisHitCounter(other, { keyPrefix })];
      const limit = 20;
      const results = await Promise.all(Array.from({ length: limit + 1 }, (_, i) => counters[i % 2].hit('two-clients', { windowMs: 5_000, limit })));
      expect(results.filter((result) => !result.blocked)).toHaveLength(limit);
    } finally {
      await closeRedisClient(other);
    }
  });

  it('fails fast with HitCounterUnavailableError when Redis cannot be reached', async () => {
    // Nothing listens on port 1: the client keeps reconnecting while commands fail at once.
    const unreachable = createRedisClient('redis://127.0.0.1:1');
    unreachable.on('error', () => undefined);
    try {
      const started = Date.now();
      const down = new RedisHitCounter(unreachable, { keyPrefix });
      await expect(down.hit('down', { windowMs: 1_000, limit: 1 })).rejects.toBeInstanceOf(HitCounterUnavailableError);
      await expect(down.peek('down')).rejects.toBeInstanceOf(HitCounterUnavailableError);
      await expect(down.reset('down')).rejects.toBeInstanceOf(HitCounterUnavailableError);
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      await closeRedisClient(unreachable);
    }
  });
});
