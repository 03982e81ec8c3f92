import { SkipThrottle } from '@nestjs/throttler';
import { RATE_LIMIT_POLICIES } from './rate-limit.options';

/**
 * Exempts a route or controller from every general rate limit (e.g. health probes, which
 * orchestrators call at their own pace and which do no work worth protecting).
 */
export const NotRateLimited = (): MethodDecorator & ClassDecorator =>
  SkipThrottle(Object.fromEntries(Object.keys(RATE_LIMIT_POLICIES).map((name) => [name, true])));
