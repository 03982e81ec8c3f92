import { Global, Module } from '@nestjs/common';
import { redisOrMemory } from '../redis/redis-or-memory';
import { RedisModule } from '../redis/redis.module';
import { HitCounter } from './hit-counter';
import { MemoryHitCounter } from './memory-hit-counter';
import { RedisHitCounter } from './redis-hit-counter';

/** Injection token of the one HitCounter, the RateLimiter's store (general limits, login, token endpoint). */
export const HIT_COUNTER = Symbol('HIT_COUNTER');

/**
 * Provides HIT_COUNTER: on Redis when one is configured, so every instance shares the counts
 * (docs/http-contract.md: limits hold across instances), else in memory for the embedded single instance.
 */
@Global()
@Module({
  imports: [RedisModule],
  providers: [
    redisOrMemory<HitCounter>(HIT_COUNTER, 'rl:', {
      onRedis: (redis, keyPrefix) => new RedisHitCounter(redis, { keyPrefix }),
      inMemory: () => new MemoryHitCounter(),
    }),
  ],
  exports: [HIT_COUNTER],
})
export class HitCounterModule {}
