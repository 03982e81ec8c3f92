import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NOT_RATE_LIMITED } from './not-rate-limited.decorator';
import { tooManyRequests, writeRateLimitFields } from './rate-limit-fields';
import { RateLimiter } from './rate-limiter';
import { rateLimitTracker } from './rate-limit-tracker';

/**
 * The general limits, as docs/http-contract.md asks: the IETF RateLimit fields on every limited
 * response, a 429 problem with Retry-After over the limit, and failing open when the counter store
 * is down (RateLimiter). Exactly one policy applies to a request: `authenticated` when it has a
 * principal, else `anonymous`. Subclasses choose which requests they count (see the two guards and
 * their place in AppModule).
 */
@Injectable()
export abstract class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (this.reflector.getAllAndOverride<boolean>(NOT_RATE_LIMITED, [context.getHandler(), context.getClass()])) return true;
    if (!this.counts(request)) return true;
    const state = await this.limiter.consume(request.principal ? 'authenticated' : 'anonymous', rateLimitTracker(request));
    if (!state) return true;
    writeRateLimitFields(http.getResponse<FastifyReply>(), [state]);
    if (state.blocked) throw tooManyRequests(state);
    return true;
  }

  protected abstract counts(request: FastifyRequest): boolean;
}
