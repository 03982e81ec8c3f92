import { ExecutionContext, Injectable } from '@nestjs/common';
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
 * `anonymous` quota, so every request is counted exactly once. A credential that fails is answered
 * 401 by the authentication guard and spends nothing: checking it costs one signature check or
 * one indexed lookup, and guessing a 256-bit key or forging an RS256 signature is hopeless.
 */
@Injectable()
export class PrincipalRateLimitGuard extends RateLimitGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return credentialCount(this.requestOf(context)) === 0;
  }
}
