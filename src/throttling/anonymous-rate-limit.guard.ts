import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { credentialCount } from '../security/credentials';
import { PerRoute } from '../security/route-metadata';
import { NOT_RATE_LIMITED } from './not-rate-limited.decorator';
import { PrincipalQuota } from './principal-quota';
import { enforceRateLimit } from './rate-limit-fields';
import { RateLimiter } from './rate-limiter';
import { rateLimitTracker } from './rate-limit-tracker';

/**
 * The first global guard (docs/design.md: throttle, then authenticate), and the one that reads whether the route
 * has limits at all. A request without a credential is anonymous whatever route it asks for, so it spends its
 * client IP's `anonymous` quota here, before any other work. A request with a credential owes its quota to
 * whoever the credential proves, known only once authentication has verified it (PrincipalQuota).
 * The general limits, as docs/http-contract.md asks: the IETF RateLimit fields on every limited response, a 429
 * problem with Retry-After over the limit, and failing open when the counter store is down (RateLimiter).
 */
@Injectable()
export class AnonymousRateLimitGuard implements CanActivate {
  private readonly exempt = new PerRoute((targets) => this.reflector.getAllAndOverride<boolean | undefined>(NOT_RATE_LIMITED, targets) === true);

  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
    private readonly principals: PrincipalQuota,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.exempt.of(context)) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (credentialCount(request) > 0) this.principals.owe(request);
    else enforceRateLimit(http.getResponse<FastifyReply>(), await this.limiter.consume('anonymous', rateLimitTracker(request)));
    return true;
  }
}
