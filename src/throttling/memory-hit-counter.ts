import { OnModuleDestroy } from '@nestjs/common';
import { HitCount, HitCounter, HitPolicy, HitResult } from './hit-counter';

interface Counter {
  hits: number;
  expiresAt: number;
}

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
  private readonly counters = new Map<string, Counter>();
  private readonly now: () => number;
  private readonly maxEntries: number;
  private readonly sweepTimer: NodeJS.Timeout;

  constructor({ now = Date.now, maxEntries = 100_000, sweepIntervalMs = 60_000 }: MemoryHitCounterOptions = {}) {
    this.now = now;
    this.maxEntries = maxEntries;
    // One timer for the whole store, never one per hit; unref'ed so it never keeps the process alive.
    this.sweepTimer = setInterval(() => this.sweep(), sweepIntervalMs).unref();
  }

  get size(): number {
    return this.counters.size;
  }

  async hit(key: string, { windowMs, limit, blockMs = 0 }: HitPolicy): Promise<HitResult> {
    const now = this.now();
    const counter = this.live(key, now) ?? this.start(key, now + windowMs);
    counter.hits += 1;
    // Only the hit that first crosses the limit starts a block, so hammering cannot extend it.
    if (counter.hits === limit + 1 && now + blockMs > counter.expiresAt) counter.expiresAt = now + blockMs;
    return { hits: counter.hits, resetMs: counter.expiresAt - now, blocked: counter.hits > limit };
  }

  async peek(key: string): Promise<HitCount> {
    const now = this.now();
    const counter = this.live(key, now);
    return counter ? { hits: counter.hits, resetMs: counter.expiresAt - now } : { hits: 0, resetMs: 0 };
  }

  async reset(key: string): Promise<void> {
    this.counters.delete(key);
  }

  /** Drops every expired counter (run periodically; keys nobody hits again would otherwise stay). */
  sweep(): void {
    const now = this.now();
    for (const [key, counter] of this.counters) {
      if (counter.expiresAt <= now) this.counters.delete(key);
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.sweepTimer);
  }

  /** The key's counter while its window is open; an expired one is dropped on sight. */
  private live(key: string, now: number): Counter | undefined {
    const counter = this.counters.get(key);
    if (counter && counter.expiresAt <= now) {
      this.counters.delete(key);
      return undefined;
    }
    return counter;
  }

  private start(key: string, expiresAt: number): Counter {
    if (this.counters.size >= this.maxEntries) {
      // A Map iterates in insertion order, so its first key holds the oldest window: dropping it is
      // O(1) on the request path and usually frees an already-expired counter.
      this.counters.delete(this.counters.keys().next().value!);
    }
    const counter = { hits: 0, expiresAt };
    this.counters.set(key, counter);
    return counter;
  }
}
