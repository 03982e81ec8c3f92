import type { Redis } from 'ioredis';
import { AccessTokenRef, cutoffExpiry, retentionMs, RevocationStore, RevocationStoreUnavailableError } from './revocation-store';

/**
 * RevocationStore on Redis, shared by every instance: a revocation made on one instance holds on all
 * of them from the next request. Keys expire with the last token they can void (PX), so nothing
 * needs cleaning up. Both keys of a user carry the user id as a Cluster hash tag, so one MGET reads
 * them together.
 *
 * A Redis that comes back empty (restarted without persistence, failed over to an empty replica)
 * has forgotten every revocation. So the dataset carries the second it began (`since`, written once
 * with NX), read again after every reconnection: a token issued before it is refused, since whether
 * it was revoked is no longer known. Its holder refreshes (refresh tokens live in Postgres).
 */
export class RedisRevocationStore implements RevocationStore {
  /** The dataset's `since` (epoch seconds), read once per connection; undefined while unknown. */
  private since?: Promise<number>;

  constructor(
    private readonly redis: Redis,
    /** Namespaces the keys (REDIS_KEY_PREFIX), e.g. per deployment or per test run. */
    private readonly keyPrefix: string,
  ) {
    // Read at once, so every token issued from now on is after it; and again after each
    // reconnection, which may have landed on another (empty) dataset. A failed read fails the
    // next checks closed, and is tried again by them.
    redis.on('close', () => (this.since = undefined));
    redis.on('ready', () => void this.datasetSince().catch(() => undefined));
    if (redis.status === 'ready') void this.datasetSince().catch(() => undefined);
  }

  async revokeTokens(tokens: Array<AccessTokenRef & { expiresAt: number }>): Promise<void> {
    const now = Date.now();
    const pipeline = this.redis.pipeline();
    for (const token of tokens) {
      const ttl = retentionMs(token.expiresAt, now);
      if (ttl > 0) pipeline.set(this.tokenKey(token), '1', 'PX', ttl);
    }
    if (pipeline.length === 0) return;
    await this.call(async () => {
      const failure = (await pipeline.exec())?.find(([error]) => error);
      if (failure) throw failure[0];
    });
  }

  async revokeIssuedBefore(userId: string, cutoff: number): Promise<void> {
    const ttl = retentionMs(cutoffExpiry(cutoff), Date.now());
    await this.call(() => this.redis.set(this.cutoffKey(userId), String(cutoff), 'PX', ttl));
  }

  async isRevoked(token: AccessTokenRef & { issuedAt: number }): Promise<boolean> {
    if (token.issuedAt < (await this.datasetSince())) return true;
    // One round trip for both checks, on every authenticated request.
    const [revoked, cutoff] = await this.call(() => this.redis.mget(this.tokenKey(token), this.cutoffKey(token.userId)));
    return revoked !== null || (cutoff !== null && token.issuedAt < Number(cutoff));
  }

  /**
   * The second this Redis dataset began: set by the first instance to ask (NX), so every instance
   * reads the same value. Rounded down, so tokens issued in the very second it was written still
   * pass: at first boot, every token is issued after it.
   */
  private datasetSince(): Promise<number> {
    this.since ??= this.call(async () => {
      const key = `${this.keyPrefix}since`;
      // One atomic round trip: write ours unless a value is there, then read whichever is.
      const replies = await this.redis.multi().set(key, String(Math.floor(Date.now() / 1000)), 'NX').get(key).exec();
      const since = Number(replies?.[1]?.[1]);
      if (!Number.isInteger(since)) throw new Error('The revocation dataset has no start time');
      return since;
    }).catch((error: unknown) => {
      this.since = undefined;
      throw error;
    });
    return this.since;
  }

  private tokenKey({ userId, tokenId }: AccessTokenRef): string {
    return `${this.keyPrefix}{${userId}}:token:${tokenId}`;
  }

  private cutoffKey(userId: string): string {
    return `${this.keyPrefix}{${userId}}:cutoff`;
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new RevocationStoreUnavailableError(error);
    }
  }
}
