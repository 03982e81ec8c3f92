import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RefusedCredentialLimit } from '../security/refused-credential-limit';
import { tooManyRequests, writeRateLimitFields } from './rate-limit-fields';
import { RateLimiter } from './rate-limiter';
import { rateLimitTracker } from './rate-limit-tracker';

/** Bounds the memory of blocked addresses; past it, the oldest is forgotten (and counted afresh). */
const MAX_BLOCKED_ADDRESSES = 10_000;

/**
 * A request whose credential is refused was anonymous after all, so it spends its client IP's
 * `anonymous` quota (docs/http-contract.md, Rate limits: "else per client IP"), which AnonymousRateLimitGuard
 * left alone because the request carried a credential. Without this, made-up tokens and keys would
 * be the one kind of request no limit counts, and a made-up key that passes the (public) checksum
 * costs a database lookup (OWASP API2 and API4).
 *
 * Once refused credentials have used up an address's quota, this instance refuses every credential
 * from it before checking any, until the window ends: the checking is the work to stop. That also
 * holds back valid credentials sent from the same address meanwhile, as the login limit per IP does.
 * Another instance learns of it at the next refused credential it counts.
 */
@Injectable()
export class RefusedCredentials implements RefusedCredentialLimit {
  /** Address tracker → when its window ends (ms since the epoch); insertion order is age order. */
  private readonly blockedUntil = new Map<string, number>();

  constructor(private readonly limiter: RateLimiter) {}

  /** 429 when refused credentials from this address have used up its quota (as this instance knows). */
  refuseIfBlocked(request: FastifyRequest): void {
    const tracker = rateLimitTracker(request);
    const until = this.blockedUntil.get(tracker);
    if (until === undefined) return;
    const waitMs = until - Date.now();
    if (waitMs > 0) throw tooManyRequests({ policy: this.limiter.policy('refusedCredentials'), resetMs: waitMs });
    this.blockedUntil.delete(tracker);
  }

  /**
   * Counts one refused credential against the address's quota and reports where it stands; `429`
   * once over. If the store is down, nothing is counted: general limits fail open (SECURITY.md).
   */
  async charge(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const tracker = rateLimitTracker(request);
    const state = await this.limiter.consume('refusedCredentials', tracker);
    if (!state) return;
    writeRateLimitFields(reply, [state]);
    if (!state.blocked) return;
    this.blockedUntil.delete(tracker);
    this.blockedUntil.set(tracker, Date.now() + state.resetMs);
    if (this.blockedUntil.size > MAX_BLOCKED_ADDRESSES) this.blockedUntil.delete(this.blockedUntil.keys().next().value!);
    throw tooManyRequests(state);
  }
}
