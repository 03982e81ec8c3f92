import { StoreUnavailableError } from '../security/security-problems';

/**
 * A fixed-window hit counter, shared by every instance that shares its store: the store of the
 * RateLimiter (rate-limiter.ts). `hit` counts a request, `peek` reads a count without adding to it,
 * `reset` gives a key its quota back (an email's, after a successful login).
 *
 * Semantics (identical for every implementation):
 * - the first hit on a key opens a window of `windowMs`; later hits do not move its end;
 * - a hit is `blocked` when it takes the count past `limit`, so exactly `limit` hits pass per window;
 * - the hit that first crosses the limit extends the key's life to `blockMs` from now when that is
 *   longer than what is left of the window (later hits never extend it again);
 * - when the key expires, counting starts from zero.
 */
export interface HitCounter {
  hit(key: string, policy: HitPolicy): Promise<HitResult>;
  /** The key's current count, without counting a hit. */
  peek(key: string): Promise<HitCount>;
  /** Forgets the key, e.g. the failed logins of an email after a successful login. */
  reset(key: string): Promise<void>;
  /**
   * The hit `hit(key, policy)` would count, for another store's Redis script to count in a round trip that
   * store makes anyway (an access token's revocation check): only a counter on Redis has one.
   */
  scripted?(key: string, policy: HitPolicy): ScriptedHit;
}

export interface HitPolicy {
  windowMs: number;
  limit: number;
  /** How long a key stays blocked after crossing the limit; 0 (default) blocks until the window ends. */
  blockMs?: number;
}

export interface HitCount {
  hits: number;
  /** Milliseconds until the key expires and counting restarts (0 when the key has no hits). */
  resetMs: number;
}

export interface HitResult extends HitCount {
  blocked: boolean;
}

/** A hit for another store's script to count: its Redis key and the arguments of HIT_FUNCTION (redis-hit-counter.ts). */
export interface ScriptedHit {
  key: string;
  windowMs: number;
  limit: number;
  blockMs: number;
}

/** What such a script counted: the count, or `unavailable` when Redis refused the write (full, or a read-only replica). */
export type ScriptedHitResult = HitCount | 'unavailable';

/** The counter's store could not answer (e.g. Redis down): the caller chooses to fail open or closed. */
export class HitCounterUnavailableError extends StoreUnavailableError {
  constructor(cause: unknown) {
    super('The hit counter store is unavailable', { cause });
    this.name = 'HitCounterUnavailableError';
  }
}
