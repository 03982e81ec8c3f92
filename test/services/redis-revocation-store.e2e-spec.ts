import { once } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisRevocationStore } from '../../src/auth/revocation/redis-revocation-store';
import { RevocationStoreUnavailableError } from '../../src/auth/revocation/revocation-store';
import { CLOCK_TOLERANCE_SECONDS } from '../../src/auth/token.constants';
import { SystemClock } from '../../src/common/clock';
import { closeRedisClient, createRedisClient } from '../../src/redis/redis-client';
import { RedisHitCounter } from '../../src/throttling/redis-hit-counter';
import { describeRevocationStoreContract } from '../support/revocation-store-contract';

// A fresh prefix per run keeps these keys apart from anything else in the machine's Redis.
const keyPrefix = `test:revoked:${randomBytes(8).toString('hex')}:`;
const clock = new SystemClock();

describe('RedisRevocationStore', () => {
  let redis: Redis;
  let store: RedisRevocationStore;

  beforeAll(async () => {
    redis = createRedisClient(process.env.REDIS_URL!);
    await once(redis, 'ready');
    store = new RedisRevocationStore(redis, keyPrefix, clock);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length) await redis.del(...keys);
    await closeRedisClient(redis);
  });

  describe('RevocationStore contract', () => {
    // A prefix of its own per store: each starts with no data, as after a loss.
    describeRevocationStoreContract(() => new RedisRevocationStore(redis, `${keyPrefix}${randomUUID()}:`, clock));
  });

  it('keeps a revoked token exactly until it would expire, plus the clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = { subject: randomUUID(), tokenId: randomUUID(), expiresAt: now + 600 };
    await store.revokeTokens([token]);
    const ttl = await redis.pttl(`${keyPrefix}${token.subject}:token:${token.tokenId}`);
    expect(ttl).toBeGreaterThan((600 + CLOCK_TOLERANCE_SECONDS - 2) * 1000);
    expect(ttl).toBeLessThanOrEqual((600 + CLOCK_TOLERANCE_SECONDS) * 1000);
  });

  it('answers unknown once its data is gone (FLUSHDB, an empty replica), in the same round trip as the check', async () => {
    const own = new RedisRevocationStore(redis, `${keyPrefix}${randomUUID()}:`, clock);
    const token = { subject: randomUUID(), tokenId: randomUUID(), generation: 0, expiresAt: Math.floor(Date.now() / 1000) + 60 };
    await own.load({ tokens: [token], generations: [] });
    expect((await own.check(token)).verdict).toBe('revoked');
    const keys = await redis.keys(`${keyPrefix}*`);
    await redis.del(...keys.filter((key) => key.endsWith('loaded-from-postgres')));
    expect((await own.check(token)).verdict).toBe('unknown');
  });

  describe('with a rate-limit hit in the same round trip', () => {
    const policy = { windowMs: 60_000, limit: 5 };
    const now = () => Math.floor(Date.now() / 1000);
    let counter: RedisHitCounter;
    let own: RedisRevocationStore;
    beforeAll(async () => {
      counter = new RedisHitCounter(redis, { keyPrefix: `${keyPrefix}rl:` });
      own = new RedisRevocationStore(redis, `${keyPrefix}${randomUUID()}:`, clock);
      await own.load({ tokens: [], generations: [] });
    });
    const token = () => ({ subject: randomUUID(), tokenId: randomUUID(), generation: 1, expiresAt: now() + 60 });

    it('counts the hit of a valid token, in the counter HitCounter.hit counts in', async () => {
      const key = randomUUID();
      const first = await own.check(token(), counter.scripted(key, policy));
      expect(first.verdict).toBe('valid');
      expect(first.counted).toEqual({ hits: 1, resetMs: expect.any(Number) as number });
      expect((first.counted as { resetMs: number }).resetMs).toBeGreaterThan(59_000);
      await counter.hit(key, policy);
      expect((await own.check(token(), counter.scripted(key, policy))).counted).toEqual(expect.objectContaining({ hits: 3 }));
    });

    it('counts nothing for a revoked token, singly or by its generation, nor while the store is not whole', async () => {
      const key = randomUUID();
      const revoked = token();
      await own.revokeTokens([revoked]);
      expect(await own.check(revoked, counter.scripted(key, policy))).toEqual({ verdict: 'revoked' });
      const older = token();
      await own.revokeGenerations({ subject: older.subject, generation: 2, revokedAt: now() });
      expect(await own.check(older, counter.scripted(key, policy))).toEqual({ verdict: 'revoked' });
      const empty = new RedisRevocationStore(redis, `${keyPrefix}${randomUUID()}:`, clock);
      expect(await empty.check(token(), counter.scripted(key, policy))).toEqual({ verdict: 'unknown' });
      expect(await counter.peek(key)).toEqual({ hits: 0, resetMs: 0 });
    });
  });

  it('fails fast with RevocationStoreUnavailableError when Redis cannot be reached', async () => {
    const unreachable = createRedisClient('redis://127.0.0.1:1');
    unreachable.on('error', () => undefined);
    try {
      const down = new RedisRevocationStore(unreachable, keyPrefix, clock);
      const started = Date.now();
      const token = { subject: randomUUID(), tokenId: randomUUID(), generation: 0, expiresAt: Math.floor(Date.now() / 1000) + 60 };
      await expect(down.check(token)).rejects.toBeInstanceOf(RevocationStoreUnavailableError);
      await expect(down.revokeTokens([token])).rejects.toBeInstanceOf(RevocationStoreUnavailableError);
      await expect(down.revokeGenerations({ subject: token.subject, generation: 1, revokedAt: Math.floor(Date.now() / 1000) })).rejects.toBeInstanceOf(
        RevocationStoreUnavailableError,
      );
      await expect(down.load({ tokens: [], generations: [] })).rejects.toBeInstanceOf(RevocationStoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      await closeRedisClient(unreachable);
    }
  });
});
