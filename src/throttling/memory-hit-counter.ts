import { OnModuleDestroy } from '@nestjs/common';
import { ExpiringMap } from '../common/expiring-map';
import { HitCount, HitCounter, HitPolicy, HitResult } from './hit-counter';

export interface MemoryHitCounterOptions {
  /** Clock in milliseconds; injectable so tests control time. */
  now?: () => number;
  /** Hard cap on tracked keys: past it, the oldest counter is dropped. */
  maxEntries?: number;
  /** How often expired counters are swept out. */
  sweepIntervalMs?: number;
}

/** HitCounter for the embedded (single-instance) mode, with bounded memory. */
export class MemoryHitCounter implements HitCounter, OnModuleDestroy {
  /** Key → the hits of its open window; the entry expires when the window (or a block) ends. */
  private readonly counters: ExpiringMap<string, { hits: number }>;
  private readonly now: () => number;
  private readonly sweepTimer: NodeJS.Timeout;

  constructor({ now = Date.now, maxEntries = 100_000, sweepIntervalMs = 60_000 }: MemoryHitCounterOptions = {}) {
    this.now = now;
    // Past maxEntries the counter set longest ago goes first: usually one whose window already ended.
    this.counters = new ExpiringMap(now, maxEntries);
    // One timer for the whole store, never one per hit; unref'ed so it never keeps the process alive.
    this.sweepTimer = setInterval(() => this.sweep(), sweepIntervalMs).unref();
  }

  get size(): number {
    return this.counters.size;
  }

  async hit(key: string, { windowMs, limit, blockMs = 0 }: HitPolicy): Promise<HitResult> {
    const now = this.now();
    const entry = this.counters.entry(key) ?? { value: { hits: 0 }, expiresAt: now + windowMs };
    const hits = ++entry.value.hits;
    // Only the hit that first crosses the limit starts a block, so hammering cannot extend it.
    const expiresAt = hits === limit + 1 ? Math.max(entry.expiresAt, now + blockMs) : entry.expiresAt;
    // A new window, or a block that outlasts it, is stored with its end; other hits count in place.
    if (hits === 1 || expiresAt !== entry.expiresAt) this.counters.set(key, entry.value, expiresAt);
    return { hits, resetMs: expiresAt - now, blocked: hits > limit };
  }

  async peek(key: string): Promise<HitCount> {
    const entry = this.counters.entry(key);
    return entry ? { hits: entry.value.hits, resetMs: entry.expiresAt - this.now() } : { hits: 0, resetMs: 0 };
  }

  async reset(key: string): Promise<void> {
    this.counters.delete(key);
  }

  /** Drops every expired counter (run periodically; keys nobody hits again would otherwise stay). */
  sweep(): void {
    this.counters.sweep();
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
  }
}
