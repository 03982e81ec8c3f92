import { Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { SERVICE_SECRETS, ServiceSecrets } from '../secrets/service-secrets';
import { closeRedisClient, createRedisClient } from './redis-client';

/** The app's one Redis connection, or null without REDIS_URL (embedded mode: stores stay in memory). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

const logger = new Logger('Redis');

@Module({
  providers: [{ provide: REDIS_CLIENT, inject: [SERVICE_SECRETS], useFactory: connectRedis }],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis) await closeRedisClient(this.redis);
  }
}

async function connectRedis(secrets: ServiceSecrets): Promise<Redis | null> {
  if (!secrets.redisUrl) return null;
  const redis = createRedisClient(secrets.redisUrl);
  logAvailabilityChanges(redis);
  // Wait for the first attempt, so a healthy Redis is ready for the first request. A Redis that is
  // down does not stop the boot: requests that need it fail closed until it answers.
  await new Promise<void>((resolve) => {
    const settle = (): void => {
      redis.off('ready', settle).off('error', settle);
      resolve();
    };
    redis.once('ready', settle).once('error', settle);
  });
  return redis;
}

/**
 * ioredis emits an 'error' per failed reconnect attempt (and would crash the process without a
 * listener): log only when Redis goes away and when it comes back. Only the error code is logged,
 * never the message of an unknown error, which could quote the connection URL.
 */
function logAvailabilityChanges(redis: Redis): void {
  let available = true;
  redis.on('error', (error: NodeJS.ErrnoException) => {
    if (available) logger.error(`Redis unavailable (${error.code ?? error.name})`);
    available = false;
  });
  redis.on('ready', () => {
    if (!available) logger.log('Redis available again');
    available = true;
  });
}
