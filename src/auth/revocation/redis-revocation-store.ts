import type { Redis } from 'ioredis';
import { AccessTokenRef, cutoffExpiry, retentionMs, RevocationStore, RevocationStoreUnavailableError } from './revocation-store';

/**
 * RevocationStore on Redis, shared by every instance: a revocation made on one instance holds on all
 * of them from the next request. Keys expire with the last token they can void (PX), so nothing
 * needs cleaning up. Both keys of a user carry the user id as a Cluster hash tag, so one MGET reads
 * them together.
 */
export class RedisRevocationStore implements RevocationStore {
  constructor(
    private readonly redis: Redis,
    /** Namespaces the keys (REDIS_KEY_PREFIX), e.g. per deployment or per test run. */
    private readonly keyPrefix: string,
  ) {}

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
    // One round trip for both checks, on every authenticated request.
    const [revoked, cutoff] = await this.call(() => this.redis.mget(this.tokenKey(token), this.cutoffKey(token.userId)));
    return revoked !== null || (cutoff !== null && token.issuedAt < Number(cutoff));
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
