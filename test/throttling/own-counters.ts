import { randomBytes } from 'node:crypto';

/**
 * Environment that gives a test app counters of its own. In the service suite every test app
 * shares one Redis, where another test file's requests from 127.0.0.1 would spend the same quota.
 * Apps standing for instances of one service must be started with the same result.
 */
export function ownRateLimitCounters(): Record<string, string> {
  return { REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:` };
}
