import { ExecutionContext, Logger } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerRequest, ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemException } from '../common/http/problem.exception';
import { HitCounterUnavailableError } from './hit-counter';
import { appendRateLimitHeaders } from './rate-limit-fields';

// @nestjs/throttler does not export ThrottlerStorageRecord from its index.
type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler's guard (named policies, `@SkipThrottle`, `@Throttle` overrides) answering as
 * docs/http-contract.md asks: the IETF RateLimit headers on every limited response, a 429 problem with
 * Retry-After over the limit, and failing open when the counter store is down.
 * Subclasses choose which requests they count (see the two guards and their place in AppModule).
 */
export abstract class RateLimitGuard extends ThrottlerGuard {
  private readonly log = new Logger('RateLimit');
  private storeDown = false;

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, throttler } = request;
    const record = await this.countHit(request);
    if (!record) return true;
    appendRateLimitHeaders(context.switchToHttp().getResponse<FastifyReply>(), [
      {
        policy: throttler.name!, // the base guard names every throttler at init
        quota: limit,
        windowSeconds: ttl / 1000,
        remaining: Math.max(0, limit - record.totalHits),
        resetSeconds: record.timeToExpire,
      },
    ]);
    if (record.isBlocked) {
      // RFC 6585 §4: 429, and Retry-After (RFC 9110 §10.2.3) says when the quota is back.
      const retryAfter = String(record.timeToBlockExpire);
      throw new ProblemException(429, `Rate limit exceeded; retry after ${retryAfter} s`, { 'Retry-After': retryAfter });
    }
    return true;
  }

  protected requestOf(context: ExecutionContext): FastifyRequest {
    return context.switchToHttp().getRequest<FastifyRequest>();
  }

  /**
   * Counts the hit, or returns nothing when the store (Redis) cannot answer: general limits fail
   * open, on purpose, so a Redis outage does not take the whole API down with it. Login and token
   * limits fail closed instead (they guard credentials, see src/auth). Meanwhile responses carry
   * no RateLimit fields: there is no count to report. One error line per outage, not per request.
   */
  private async countHit({ context, limit, ttl, throttler, blockDuration, getTracker, generateKey }: ThrottlerRequest): Promise<ThrottlerRecord | undefined> {
    const name = throttler.name!;
    const key = generateKey(context, await getTracker(this.requestOf(context), context), name);
    try {
      const record = await this.storageService.increment(key, ttl, limit, blockDuration, name);
      if (this.storeDown) this.log.log('Rate limit store is back: general limits enforced again');
      this.storeDown = false;
      return record;
    } catch (error) {
      if (!(error instanceof HitCounterUnavailableError)) throw error;
      // The cause is left out: the Redis module logs its error code, and a driver message may quote the URL.
      if (!this.storeDown) this.log.error('Rate limit store unavailable: general limits fail open until it is back');
      this.storeDown = true;
      return undefined;
    }
  }
}
