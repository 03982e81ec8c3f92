import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Clock } from '../common/clock';
import { ExpiringMap } from '../common/expiring-map';
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
  /** Address tracker → when its block ends (ms since the epoch), the entry's own expiry too. */
  private readonly blockedUntil: ExpiringMap<string, number>;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
  ) {
    this.blockedUntil = new ExpiringMap(() => this.clock.now().getTime(), MAX_BLOCKED_ADDRESSES);
  }

  /** 429 when refused credentials from this address have used up its quota (as this instance knows). */
  refuseIfBlocked(request: FastifyRequest): void {
    // While no address is blocked (the usual case), the client's address is not even worked out.
    if (this.blockedUntil.size === 0) return;
    const tracker = rateLimitTracker(request);
    const until = this.blockedUntil.get(tracker);
    if (until !== undefined) throw tooManyRequests({ policy: this.limiter.policy('refusedCredentials'), resetMs: until - this.clock.now().getTime() });
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
    const until = this.clock.now().getTime() + state.resetMs;
    this.blockedUntil.set(tracker, until, until);
    throw tooManyRequests(state);
  }
}
