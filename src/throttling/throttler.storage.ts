import type { ThrottlerStorage } from '@nestjs/throttler';
import { HitCounter } from './hit-counter';

// @nestjs/throttler does not export ThrottlerStorageRecord from its index.
type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** The counter key of a named policy's bucket, e.g. `anonymous:ip:203.0.113.7`. */
export function policyKey(policy: string, tracker: string): string {
  return `${policy}:${tracker}`;
}

/** @nestjs/throttler storage over any HitCounter, so the same class runs on Redis or in memory. */
export class HitCounterThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly counter: HitCounter) {}

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    // Named throttlers keep separate counts even when a custom generateKey gives them the same key.
    const { hits, resetMs, blocked } = await this.counter.hit(policyKey(throttlerName, key), {
      windowMs: ttl,
      limit,
      blockMs: blockDuration,
    });
    // The throttler wants seconds here (its ttl and blockDuration are milliseconds); rounding up
    // means a client told to retry after that many seconds is never refused again.
    const secondsToReset = Math.ceil(resetMs / 1000);
    return {
      totalHits: hits,
      timeToExpire: secondsToReset,
      isBlocked: blocked,
      timeToBlockExpire: blocked ? secondsToReset : 0,
    };
  }
}
