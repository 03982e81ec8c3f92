import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { credentialCount } from '../security/credentials';
import { RateLimitGuard } from './rate-limit.guard';

/**
 * Runs right after the authentication guard, for the requests that carried a credential: they
 * spend their principal's `authenticated` quota (`user:`, `client:` or `key:<id>`), shared by every
 * route. It comes after authentication, not before as docs/design.md's "throttle → authenticate" would
 * have it, because only a verified credential says whose quota to spend: keying on the credential's
 * bytes would let a client start afresh with each new token, and keying on an unverified `sub`
 * would let anyone spend someone else's quota.
 * A credential that a public route let through without a principal spends the client IP's
 * `anonymous` quota, so every request is counted exactly once. A credential that fails never gets
 * here: the authentication guard answers 401 and charges it to the client IP's `anonymous` quota
 * (RefusedCredentials, docs/decisions/0007).
 */
@Injectable()
export class PrincipalRateLimitGuard extends RateLimitGuard {
  protected override counts(request: FastifyRequest): boolean {
    return credentialCount(request) > 0;
  }
}
