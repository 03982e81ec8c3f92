import { once } from 'node:events';
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RedisRevocationStore } from '../../src/auth/revocation/redis-revocation-store';
import { RevocationStoreUnavailableError } from '../../src/auth/revocation/revocation-store';
import { CLOCK_TOLERANCE_SECONDS } from '../../src/auth/token.constants';
import { closeRedisClient, createRedisClient } from '../../src/redis/redis-client';
import { describeRevocationStoreContract } from '../support/revocation-store-contract';

// A fresh prefix per run keeps these keys apart from anything else in the machine's Redis.
const keyPrefix = `test:revoked:${randomBytes(8).toString('hex')}:`;

describe('RedisRevocationStore', () => {
  let redis: Redis;
  let store: RedisRevocationStore;

  beforeAll(async () => {
    redis = createRedisClient(process.env.REDIS_URL!);
    await once(redis, 'ready');
    store = new RedisRevocationStore(redis, keyPrefix);
  });
  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length) await redis.del(...keys);
    await closeRedisClient(redis);
  });

  describe('RevocationStore contract', () => {
    describeRevocationStoreContract(() => store);
  });

  it('keeps a revoked token exactly until it would expire, plus the clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = { userId: randomUUID(), tokenId: randomUUID(), expiresAt: now + 600 };
    await store.revokeTokens([token]);
    const ttl = await redis.pttl(`${keyPrefix}{${token.userId}}:token:${token.tokenId}`);
    expect(ttl).toBeGreaterThan((600 + CLOCK_TOLERANCE_SECONDS - 2) * 1000);
    expect(ttl).toBeLessThanOrEqual((600 + CLOCK_TOLERANCE_SECONDS) * 1000);
  });

  it('keeps both keys of a user in one Cluster hash slot, so one MGET reads them', async () => {
    const userId = randomUUID();
    await store.revokeTokens([{ userId, tokenId: randomUUID(), expiresAt: Math.floor(Date.now() / 1000) + 60 }]);
    await store.revokeIssuedBefore(userId, Math.floor(Date.now() / 1000));
    const keys = await redis.keys(`${keyPrefix}{${userId}}:*`);
    expect(keys).toHaveLength(2);
  });

  it('fails fast with RevocationStoreUnavailableError when Redis cannot be reached', async () => {
    const unreachable = createRedisClient('redis://127.0.0.1:1');
    unreachable.on('error', () => undefined);
    try {
      const down = new RedisRevocationStore(unreachable, keyPrefix);
      const started = Date.now();
      const token = { userId: randomUUID(), tokenId: randomUUID(), issuedAt: 0, expiresAt: Math.floor(Date.now() / 1000) + 60 };
      await expect(down.isRevoked(token)).rejects.toBeInstanceOf(RevocationStoreUnavailableError);
      await expect(down.revokeTokens([token])).rejects.toBeInstanceOf(RevocationStoreUnavailableError);
      await expect(down.revokeIssuedBefore(token.userId, 1)).rejects.toBeInstanceOf(RevocationStoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      await closeRedisClient(unreachable);
    }
  });
});
