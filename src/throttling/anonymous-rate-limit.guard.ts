import { ExecutionContext, Injectable } from '@nestjs/common';
import { credentialCount } from '../security/credentials';
import { RateLimitGuard } from './rate-limit.guard';

/**
 * The first global guard (docs/design.md: throttle, then authenticate). A request without a credential
 * is anonymous whatever route it asks for, so it spends its client IP's `anonymous` quota here,
 * before any other work. A request with a credential is left to PrincipalRateLimitGuard: whose
 * quota it spends is known only once authentication has verified that credential.
 */
@Injectable()
export class AnonymousRateLimitGuard extends RateLimitGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return credentialCount(this.requestOf(context)) > 0;
  }
}
