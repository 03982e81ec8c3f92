import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
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
  protected override counts(request: FastifyRequest): boolean {
    return credentialCount(request) === 0;
  }
}
