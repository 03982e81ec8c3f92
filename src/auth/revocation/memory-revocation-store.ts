import { OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { ExpiringMap } from '../../common/expiring-map';
import {
  CheckedToken,
  generationExpiry,
  generationKey,
  retentionMs,
  RevocationCheck,
  RevocationRecord,
  RevocationStore,
  RevokedGenerations,
  RevokedToken,
  tokenKey,
} from './revocation-store';

/**
 * RevocationStore for the embedded single-instance mode. Every entry expires with the last token it
 * can void, so memory is bounded by the tokens revoked in the last 15 minutes; never by a count,
 * since dropping an entry early would bring a revoked token back.
 *
 * The entries live only as long as the process: the store starts not whole, and the first check
 * has it loaded from the database (Revocations), so a revocation made before a restart still holds
 * after it, and nobody is logged out by the restart.
 */
export class MemoryRevocationStore implements RevocationStore, OnModuleDestroy {
  private readonly entries: ExpiringMap<string, number>;
  private readonly sweepTimer: NodeJS.Timeout;
  private whole = false;

  /** `clock` is the app's Clock, so tests control time. */
  constructor(private readonly clock: Clock) {
    this.entries = new ExpiringMap(() => this.now());
    // One unref'ed timer for the whole store, so it never keeps the process alive.
    this.sweepTimer = setInterval(() => this.sweep(), 60_000).unref();
  }

  /** How many revocations are held (expired ones go at the next sweep). */
  get size(): number {
    return this.entries.size;
  }

  async revokeTokens(tokens: RevokedToken[]): Promise<void> {
    for (const token of tokens) this.remember(tokenKey(token), 1, token.expiresAt);
  }

  async revokeGenerations({ subject, generation, revokedAt }: RevokedGenerations): Promise<void> {
    const current = this.entries.get(generationKey(subject));
    if (current === undefined || generation > current) this.remember(generationKey(subject), generation, generationExpiry(revokedAt));
  }

  /** Counts no hit: there is no round trip to share, and the rate-limit guard counts it in the counters' own memory. */
  async check(token: CheckedToken): Promise<RevocationCheck> {
    if (!this.whole) return { verdict: 'unknown' };
    const generation = this.entries.get(generationKey(token.subject));
    const revoked = this.entries.get(tokenKey(token)) !== undefined || (generation !== undefined && token.generation < generation);
    return { verdict: revoked ? 'revoked' : 'valid' };
  }

  async load({ tokens, generations }: RevocationRecord): Promise<void> {
    await this.revokeTokens(tokens);
    for (const entry of generations) await this.revokeGenerations(entry);
    this.whole = true;
  }

  sweep(): void {
    this.entries.sweep();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
  }

  private remember(key: string, value: number, expiresAt: number): void {
    const now = this.now();
    const ttl = retentionMs(expiresAt, now);
    if (ttl > 0) this.entries.set(key, value, now + ttl);
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}
