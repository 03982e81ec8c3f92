import { OnModuleDestroy } from '@nestjs/common';
import { AccessTokenRef, cutoffExpiry, retentionMs, RevocationStore } from './revocation-store';

interface Entry {
  value: number;
  forgetAt: number;
}

/**
 * RevocationStore for the embedded single-instance mode. Every entry expires with the last token it
 * can void, so memory is bounded by the tokens revoked in the last 15 minutes.
 *
 * The entries live only as long as the process. After a restart, whether a token issued before it
 * was revoked is unknown, so such a token is refused, as the Redis store refuses tokens older than
 * its dataset: clients get new ones with their refresh tokens, which are kept in the database.
 */
export class MemoryRevocationStore implements RevocationStore, OnModuleDestroy {
  private readonly entries = new Map<string, Entry>();
  private readonly sweepTimer: NodeJS.Timeout;
  /** When this store began (epoch seconds, as a token's `iat`). */
  private readonly since: number;

  /** `now` is injectable so tests control time. */
  constructor(private readonly now: () => number = Date.now) {
    this.since = Math.floor(now() / 1000);
    // One unref'ed timer for the whole store, so it never keeps the process alive.
    this.sweepTimer = setInterval(() => this.sweep(), 60_000).unref();
  }

  /** How many revocations are held (expired ones go at the next sweep). */
  get size(): number {
    return this.entries.size;
  }

  async revokeTokens(tokens: Array<AccessTokenRef & { expiresAt: number }>): Promise<void> {
    for (const token of tokens) this.remember(tokenKey(token), 1, token.expiresAt);
  }

  async revokeIssuedBefore(userId: string, cutoff: number): Promise<void> {
    this.remember(cutoffKey(userId), cutoff, cutoffExpiry(cutoff));
  }

  async isRevoked(token: AccessTokenRef & { issuedAt: number }): Promise<boolean> {
    if (token.issuedAt < this.since) return true;
    const cutoff = this.live(cutoffKey(token.userId));
    return this.live(tokenKey(token)) !== undefined || (cutoff !== undefined && token.issuedAt < cutoff);
  }

  sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.forgetAt <= now) this.entries.delete(key);
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
  }

  private remember(key: string, value: number, expiresAt: number): void {
    const now = this.now();
    const ttl = retentionMs(expiresAt, now);
    if (ttl > 0) this.entries.set(key, { value, forgetAt: now + ttl });
  }

  private live(key: string): number | undefined {
    const entry = this.entries.get(key);
    return entry && entry.forgetAt > this.now() ? entry.value : undefined;
  }
}

function tokenKey({ userId, tokenId }: AccessTokenRef): string {
  return `${userId}:token:${tokenId}`;
}

function cutoffKey(userId: string): string {
  return `${userId}:cutoff`;
}
