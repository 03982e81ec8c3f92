import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PrincipalQuota } from './principal-quota';
import { enforceRateLimit } from './rate-limit-fields';

/**
 * Runs right after the authentication guard, for the requests that carried a credential on a route with limits:
 * they spend their principal's `authenticated` quota (`user:`, `client:` or `key:<id>`), shared by every route.
 * It comes after authentication, not before as docs/design.md's "throttle → authenticate" would have it, because
 * only a verified credential says whose quota to spend: keying on the credential's bytes would let a client start
 * afresh with each new token, and keying on an unverified `sub` would let anyone spend someone else's quota.
 * An access token's check may already have counted it, in its own round trip to Redis (PrincipalQuota).
 * A credential that a public route let through without a principal spends the client IP's
 * `anonymous` quota, so every request is counted exactly once. A credential that fails never gets
 * here: the authentication guard answers 401 and charges it to the client IP's `anonymous` quota
 * (RefusedCredentials, docs/decisions/0007).
 */
@Injectable()
export class PrincipalRateLimitGuard implements CanActivate {
  constructor(private readonly principals: PrincipalQuota) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    enforceRateLimit(http.getResponse<FastifyReply>(), await this.principals.settle(http.getRequest<FastifyRequest>()));
    return true;
  }
}
