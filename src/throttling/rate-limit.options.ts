import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerModuleOptions, ThrottlerOptions } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { AppConfig, RateLimitName } from '../config/app-config';
import { HitCounter } from './hit-counter';
import { rateLimitTracker } from './rate-limit-tracker';
import { HitCounterThrottlerStorage } from './throttler.storage';

/** The general policies: each one's name in the RateLimit headers, and the RATE_LIMIT_* setting that sizes it. */
export const RATE_LIMIT_POLICIES = { anonymous: 'ANONYMOUS', authenticated: 'AUTHENTICATED' } as const satisfies Record<string, RateLimitName>;

/**
 * @nestjs/throttler configuration: two named policies over our HitCounter. Exactly one applies to
 * a request: `authenticated` when the request has a principal, else `anonymous`.
 */
export function rateLimitOptions(config: AppConfig, counter: HitCounter): ThrottlerModuleOptions {
  return {
    throttlers: [
      policy(config, 'anonymous', (context) => hasPrincipal(context)),
      policy(config, 'authenticated', (context) => !hasPrincipal(context)),
    ],
    storage: new HitCounterThrottlerStorage(counter),
    getTracker: (request) => rateLimitTracker(request as FastifyRequest),
    // The default key adds the controller and handler: limits here are per principal (or IP)
    // across every route, so the key is the tracker alone (the storage adds the policy's name).
    generateKey: (_context, tracker) => tracker,
  };
}

function policy(config: AppConfig, name: keyof typeof RATE_LIMIT_POLICIES, skipIf: ThrottlerOptions['skipIf']): ThrottlerOptions {
  const { quota, windowSeconds } = config.rateLimit(RATE_LIMIT_POLICIES[name]);
  // A plain fixed window: over the limit, a client waits for the window's end, no longer
  // (blockDuration 0; the throttler's default would block for a whole new window).
  return { name, limit: quota, ttl: windowSeconds * 1000, blockDuration: 0, skipIf };
}

function hasPrincipal(context: ExecutionContext): boolean {
  return context.switchToHttp().getRequest<FastifyRequest>().principal !== undefined;
}
