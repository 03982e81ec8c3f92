import { FactoryProvider, InjectionToken } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { REDIS_CLIENT } from './redis.module';

/** How to build one store: on Redis, or in memory. Both get the app's Clock. */
export interface StoreFactories<T> {
  /** `keyPrefix`: REDIS_KEY_PREFIX (one deployment's namespace) followed by the store's own. */
  onRedis(redis: Redis, keyPrefix: string, clock: Clock): T | Promise<T>;
  inMemory(clock: Clock): T;
}

/**
 * Provides a store that every instance shares through Redis when one is configured
 * (docs/http-contract.md: limits and revocations hold across instances), and that lives in memory for
 * the embedded single instance otherwise: the one place that choice is made. The module using it
 * imports RedisModule.
 */
export function redisOrMemory<T>(provide: InjectionToken, namespace: string, stores: StoreFactories<T>): FactoryProvider<T | Promise<T>> {
  return {
    provide,
    inject: [REDIS_CLIENT, AppConfig, Clock],
    useFactory: (redis: Redis | null, config: AppConfig, clock: Clock) =>
      redis ? stores.onRedis(redis, `${config.REDIS_KEY_PREFIX}${namespace}`, clock) : stores.inMemory(clock),
  };
}
