import type { Redis } from 'ioredis';
import { Clock } from '../../common/clock';
import type { ScriptedHit } from '../../throttling/hit-counter';
import { HIT_FUNCTION } from '../../throttling/redis-hit-counter';
import {
  CheckedToken,
  generationExpiry,
  generationKey,
  retentionMs,
  RevocationCheck,
  RevocationRecord,
  RevocationStore,
  RevocationStoreUnavailableError,
  RevocationVerdict,
  RevokedGenerations,
  RevokedToken,
  tokenKey,
} from './revocation-store';

// Raises a subject's generation, never lowers it: of two revocations racing, the later one stands.
const RAISE_GENERATION = `
local current = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
end
return 1
`;

/**
 * The check of every authenticated request, in one round trip. KEYS: the marker, the token's entry, its subject's
 * generation, and optionally a rate-limit counter; ARGV: the token's generation, then the hit's window, limit and
 * block (HIT_FUNCTION). Its verdicts are MemoryRevocationStore's (the contract tests hold both to them). The
 * counter is hit only when the token is valid: a revoked token is the client IP's to pay for, never its subject's
 * (docs/decisions/0007), and an unknown one is checked again once the store is reloaded.
 * Returns { verdict[, hits, ms until the counter expires] }.
 */
const CHECK_SCRIPT = `${HIT_FUNCTION}
local entries = redis.call('MGET', KEYS[1], KEYS[2], KEYS[3])
if not entries[1] then return { 'unknown' } end
if entries[2] or (entries[3] and tonumber(ARGV[1]) < tonumber(entries[3])) then return { 'revoked' } end
if not KEYS[4] then return { 'valid' } end
-- A Redis that refuses writes (full, or a read-only replica) still answers the check; only the hit fails, and the
-- limit fails open, as it would on its own.
local counted, count = pcall(hit, KEYS[4], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]))
if not counted then return { 'valid', 'unavailable' } end
return { 'valid', count[1], count[2] }
`;

type CheckReply = [RevocationVerdict] | ['valid', 'unavailable'] | ['valid', number, number];

interface RevocationScripts<Result = Promise<number>> {
  raiseGeneration(key: string, generation: number, ttlMs: number): Result;
  checkToken(...keysThenArguments: (string | number)[]): Promise<CheckReply>;
}

/**
 * RevocationStore on Redis, shared by every instance: a revocation made on one instance holds on all
 * of them from the next request. Keys expire with the last token they can void (PX), so nothing
 * needs cleaning up.
 *
 * A Redis can lose its data while the connection stays up (FLUSHDB, a failover to an empty replica)
 * or come back empty after a restart. So the dataset carries a marker, written after Postgres's
 * record was loaded into it, and read in the same script as the token's entries: a dataset without it
 * answers `unknown`, and Revocations reloads it from Postgres before answering. Keys must never be
 * evicted (a missing entry would read as "not revoked"): the app refuses to boot on a Redis whose
 * maxmemory-policy is not `noeviction` (see assertNoEviction).
 */
export class RedisRevocationStore implements RevocationStore {
  private readonly redis: Redis & RevocationScripts;

  constructor(
    redis: Redis,
    /** Namespaces the keys (REDIS_KEY_PREFIX), e.g. per deployment or per test run. */
    private readonly keyPrefix: string,
    /** The app's Clock: how long an entry must live is counted from it. */
    private readonly clock: Clock,
  ) {
    // defineCommand sends EVALSHA and loads the script only when Redis lacks it.
    redis.defineCommand('raiseGeneration', { numberOfKeys: 1, lua: RAISE_GENERATION });
    // With or without a counter to hit: the number of keys comes first in each call.
    redis.defineCommand('checkToken', { lua: CHECK_SCRIPT });
    this.redis = redis as Redis & RevocationScripts;
  }

  async revokeTokens(tokens: RevokedToken[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    this.queueTokens(pipeline, tokens);
    if (pipeline.length > 0) await this.exec(pipeline);
  }

  async revokeGenerations(entry: RevokedGenerations): Promise<void> {
    const ttl = retentionMs(generationExpiry(entry.revokedAt), this.nowMs());
    if (ttl > 0) await this.call(() => this.redis.raiseGeneration(this.key(generationKey(entry.subject)), entry.generation, ttl));
  }

  async check(token: CheckedToken, hit?: ScriptedHit): Promise<RevocationCheck> {
    // One round trip on every authenticated request: the marker, both entries of the token, and the hit.
    // Keys of two stores in one script, in different Cluster slots: this store needs one Redis, not a Cluster.
    const keys = [this.wholeKey, this.key(tokenKey(token)), this.key(generationKey(token.subject))];
    const reply = await this.call(() =>
      hit
        ? this.redis.checkToken(4, ...keys, hit.key, token.generation, hit.windowMs, hit.limit, hit.blockMs)
        : this.redis.checkToken(3, ...keys, token.generation),
    );
    if (reply.length === 1) return { verdict: reply[0] };
    return { verdict: 'valid', counted: reply[1] === 'unavailable' ? 'unavailable' : { hits: reply[1], resetMs: reply[2] } };
  }

  async load({ tokens, generations }: RevocationRecord): Promise<void> {
    // MULTI: the marker is set only together with the whole record.
    // In a MULTI a command only queues (it returns the transaction); its result comes with exec().
    const transaction = this.redis.multi() as ReturnType<Redis['multi']> & RevocationScripts<ReturnType<Redis['multi']>>;
    this.queueTokens(transaction, tokens);
    const now = this.nowMs();
    for (const { subject, generation, revokedAt } of generations) {
      const ttl = retentionMs(generationExpiry(revokedAt), now);
      if (ttl > 0) transaction.raiseGeneration(this.key(generationKey(subject)), generation, ttl);
    }
    transaction.set(this.wholeKey, '1');
    await this.exec(transaction);
  }

  private queueTokens(batch: ReturnType<Redis['pipeline']>, tokens: RevokedToken[]): void {
    const now = this.nowMs();
    for (const token of tokens) {
      const ttl = retentionMs(token.expiresAt, now);
      if (ttl > 0) batch.set(this.key(tokenKey(token)), '1', 'PX', ttl);
    }
  }

  private nowMs(): number {
    return this.clock.now().getTime();
  }

  private get wholeKey(): string {
    return `${this.keyPrefix}loaded-from-postgres`;
  }

  private key(name: string): string {
    return `${this.keyPrefix}${name}`;
  }

  private exec(batch: ReturnType<Redis['pipeline']>): Promise<void> {
    return this.call(async () => {
      const failure = (await batch.exec())?.find(([error]) => error);
      if (failure?.[0]) throw failure[0];
    });
  }

  private async call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new RevocationStoreUnavailableError(error);
    }
  }
}

/**
 * Revocation entries must never be evicted: under a maxmemory policy that evicts, a full Redis would
 * quietly drop revocations and bring revoked tokens back. `noeviction` makes a full Redis refuse
 * writes instead, which the app answers with 503 (fail closed). A Redis that does not allow CONFIG
 * (some managed services) cannot be checked: the caller logs that the policy is the operator's to set.
 */
export async function assertNoEviction(redis: Redis): Promise<'checked' | 'unchecked'> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    policy = reply[1];
  } catch {
    return 'unchecked';
  }
  if (policy !== undefined && policy !== 'noeviction') {
    throw new Error(`Redis maxmemory-policy is ${policy}: it must be noeviction, or revocations could be evicted and revoked tokens accepted again`);
  }
  return 'checked';
}
