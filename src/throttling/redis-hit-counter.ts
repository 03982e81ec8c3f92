import type { Cluster, Redis } from 'ioredis';
import { HitCount, HitCounter, HitCounterUnavailableError, HitPolicy, HitResult, ScriptedHit } from './hit-counter';

/**
 * One hit, as a Lua function that HIT_SCRIPT calls and that another store's script may call too, to count a hit
 * in a round trip it makes anyway (RedisRevocationStore). INCR and the TTL decision run in one script, so they are
 * atomic: no INCR-then-EXPIRE race, and no separate EXPIRE that would restart the window on every hit.
 * Returns { hits, ms until expiry }.
 */
export const HIT_FUNCTION = `
local function hit(key, windowMs, limit, blockMs)
  local hits = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  -- No TTL means a new key, or one some other writer left without a TTL: open a window either way,
  -- so no key can block forever.
  if ttl < 0 then
    ttl = windowMs
    redis.call('PEXPIRE', key, ttl)
  end
  -- Only the hit that first crosses the limit starts a block, so hammering cannot extend it.
  if hits == limit + 1 and blockMs > ttl then
    ttl = blockMs
    redis.call('PEXPIRE', key, ttl)
  end
  return { hits, ttl }
end
`;

const HIT_SCRIPT = `${HIT_FUNCTION}
return hit(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))
`;

// Reads without counting. A key without a TTL was not written by HIT_SCRIPT (which always sets one)
// and peek cannot know its window, so it is dropped rather than reported as a block that never ends.
const PEEK_SCRIPT = `
local ttl = redis.call('PTTL', KEYS[1])
if ttl == -1 then
  redis.call('DEL', KEYS[1])
end
if ttl < 0 then
  return { 0, 0 }
end
return { tonumber(redis.call('GET', KEYS[1])), ttl }
`;

interface HitCounterScripts {
  hitCounterHit(key: string, windowMs: number, limit: number, blockMs: number): Promise<[number, number]>;
  hitCounterPeek(key: string): Promise<[number, number]>;
}

export interface RedisHitCounterOptions {
  /** Namespaces the keys, e.g. per service or per test run. */
  keyPrefix?: string;
}

/** HitCounter on Redis (standalone or Cluster), shared by every instance of the service. */
export class RedisHitCounter implements HitCounter {
  private readonly redis: (Redis | Cluster) & HitCounterScripts;
  private readonly keyPrefix: string;

  constructor(redis: Redis | Cluster, { keyPrefix = 'rl:' }: RedisHitCounterOptions = {}) {
    // defineCommand sends EVALSHA and falls back to EVAL (loading the script) only when Redis lacks it.
    redis.defineCommand('hitCounterHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    redis.defineCommand('hitCounterPeek', { numberOfKeys: 1, lua: PEEK_SCRIPT });
    this.redis = redis as (Redis | Cluster) & HitCounterScripts;
    this.keyPrefix = keyPrefix;
  }

  async hit(key: string, { windowMs, limit, blockMs = 0 }: HitPolicy): Promise<HitResult> {
    const [hits, resetMs] = await this.call(() => this.redis.hitCounterHit(this.redisKey(key), windowMs, limit, blockMs));
    return { hits, resetMs, blocked: hits > limit };
  }

  async peek(key: string): Promise<HitCount> {
    const [hits, resetMs] = await this.call(() => this.redis.hitCounterPeek(this.redisKey(key)));
    return { hits, resetMs };
  }

  async reset(key: string): Promise<void> {
    await this.call(() => this.redis.del(this.redisKey(key)));
  }

  scripted(key: string, { windowMs, limit, blockMs = 0 }: HitPolicy): ScriptedHit {
    return { key: this.redisKey(key), windowMs, limit, blockMs };
  }

  // The key is wrapped in a Redis Cluster hash tag, so everything derived from one key maps to one slot.
  private redisKey(key: string): string {
    return `${this.keyPrefix}{${key}}`;
  }

  // Every failure (connection down, timeout, Redis refusing writes) becomes one error type for the guards.
  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new HitCounterUnavailableError(error);
    }
  }
}
