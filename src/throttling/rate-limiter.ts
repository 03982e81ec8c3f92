import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { failClosed } from '../security/security-problems';
import { HitCount, HitCounter, HitCounterUnavailableError, HitPolicy, ScriptedHit, ScriptedHitResult } from './hit-counter';
import { HIT_COUNTER } from './hit-counter.module';
import { CredentialLimit, GeneralLimit, isGeneralLimit, RateLimitId, RateLimitPolicy, rateLimitPolicies } from './rate-limit-policies';

/** Where a key stands against one policy, as the RateLimit fields report it (rate-limit-fields.ts). */
export interface RateLimitState {
  policy: RateLimitPolicy;
  /** Requests the quota still allows in this window. */
  remaining: number;
  /** Milliseconds until the window ends and the quota is whole again (0 when nothing is counted). */
  resetMs: number;
  /** The request just counted went past the quota: it is refused with 429. */
  blocked: boolean;
}

/** The hit consume() would count, for another store's script to count (RateLimiter.consumeAlongside). */
export interface ScriptedConsume {
  hit: ScriptedHit;
  /** Where the counted hit left the quota; undefined when Redis could not count it (a general limit fails open). */
  stateOf(result: ScriptedHitResult): RateLimitState | undefined;
}

/**
 * The one rate limiter: every policy of rate-limit-policies.ts, counted by the HitCounter (Redis
 * when configured, so every instance shares the counts, else in memory). A count is one atomic
 * increment, so of any number of requests racing, exactly the quota pass.
 */
@Injectable()
export class RateLimiter {
  private readonly log = new Logger('RateLimit');
  private readonly policies: Record<RateLimitId, RateLimitPolicy>;
  private storeDown = false;

  constructor(
    @Inject(HIT_COUNTER) private readonly counter: HitCounter,
    config: AppConfig,
  ) {
    this.policies = rateLimitPolicies(config);
  }

  policy(id: RateLimitId): RateLimitPolicy {
    return this.policies[id];
  }

  /**
   * Counts one request of `key` (e.g. `ip:203.0.113.7`) against the policy. If the store cannot
   * answer, a general limit returns nothing (it fails open) and a credential limit answers 503.
   */
  consume(id: CredentialLimit, key: string): Promise<RateLimitState>;
  consume(id: GeneralLimit, key: string): Promise<RateLimitState | undefined>;
  async consume(id: RateLimitId, key: string): Promise<RateLimitState | undefined> {
    const policy = this.policies[id];
    const hit = () => this.counter.hit(counterKey(policy, key), hitPolicy(policy));
    const count = isGeneralLimit(id) ? await this.failOpen(hit) : await failClosed(hit);
    return count && stateOf(policy, count);
  }

  /**
   * consume(id, key), for a store that counts the hit in a round trip to Redis it makes anyway (an access token's
   * revocation check), so the request makes one trip, not two. Undefined when the counter is not on Redis:
   * there is no round trip to share, and consume() counts.
   */
  consumeAlongside(id: GeneralLimit, key: string): ScriptedConsume | undefined {
    const policy = this.policies[id];
    const hit = this.counter.scripted?.(counterKey(policy, key), hitPolicy(policy));
    if (!hit) return undefined;
    return {
      hit,
      stateOf: (result) => {
        if (result === 'unavailable') return this.storeFailed();
        this.storeAnswered();
        return stateOf(policy, result);
      },
    };
  }

  /** Where `key` stands, without counting a request. */
  async peek(id: CredentialLimit, key: string): Promise<RateLimitState> {
    const policy = this.policies[id];
    return stateOf(policy, await failClosed(() => this.counter.peek(counterKey(policy, key))));
  }

  /** Gives `key` its whole quota back, e.g. an email's after a successful login. */
  async refund(id: CredentialLimit, key: string): Promise<RateLimitState> {
    const policy = this.policies[id];
    await failClosed(() => this.counter.reset(counterKey(policy, key)));
    return this.untouched(id);
  }

  /** The state of a key nothing is counted for: its whole quota, no window. */
  untouched(id: RateLimitId): RateLimitState {
    return stateOf(this.policies[id], { hits: 0, resetMs: 0 });
  }

  /**
   * General limits fail open, on purpose, so a Redis outage does not take the whole API down with
   * it. Meanwhile responses carry no RateLimit fields: there is no count to report. One error line
   * per outage, not per request.
   */
  private async failOpen<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await call();
      this.storeAnswered();
      return result;
    } catch (error) {
      if (!(error instanceof HitCounterUnavailableError)) throw error;
      return this.storeFailed();
    }
  }

  private storeAnswered(): void {
    if (this.storeDown) this.log.log('Rate limit store is back: general limits enforced again');
    this.storeDown = false;
  }

  private storeFailed(): undefined {
    // The cause is left out: the Redis module logs its error code, and a driver message may quote the URL.
    if (!this.storeDown) this.log.error('Rate limit store unavailable: general limits fail open until it is back');
    this.storeDown = true;
    return undefined;
  }
}

/** The counter key of a policy's bucket, e.g. `anonymous:ip:203.0.113.7`: policies with different counters never share counts. */
function counterKey(policy: RateLimitPolicy, key: string): string {
  return `${policy.counter}:${key}`;
}

/**
 * A plain fixed window: over the limit, a client waits for the window's end, no longer (no
 * `blockMs`, so a refused request never extends the block).
 */
function hitPolicy({ quota, windowSeconds }: RateLimitPolicy): HitPolicy {
  return { limit: quota, windowMs: windowSeconds * 1000 };
}

function stateOf(policy: RateLimitPolicy, { hits, resetMs }: HitCount): RateLimitState {
  return { policy, remaining: Math.max(0, policy.quota - hits), resetMs, blocked: hits > policy.quota };
}
