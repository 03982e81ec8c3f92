import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../security/principal';
import type { ScriptedHit, ScriptedHitResult } from './hit-counter';
import { RateLimiter, RateLimitState } from './rate-limiter';
import { principalTracker, rateLimitTracker } from './rate-limit-tracker';

/** The request still owes its charge; else what charging it found (undefined: the limit failed open). */
type Charge = { owed: true } | { owed: false; state: RateLimitState | undefined };

const OWED: Charge = { owed: true };

/** A principal's hit handed to the credential's own store check, and where to say what it counted. */
export interface AlongsideCharge {
  hit: ScriptedHit;
  counted(result: ScriptedHitResult): void;
}

/**
 * The general limit of a request that carries a credential, charged exactly once: to the principal the credential
 * proves (`authenticated`), or to the client IP (`anonymous`) on a public route, which authenticates nobody.
 * - AnonymousRateLimitGuard notes that the request owes it (a credential, on a route with limits);
 * - a credential whose check goes to Redis anyway (an access token's revocation check) pays it in that same round
 *   trip, and only if the credential stands: a refused one is charged to the client IP instead (RefusedCredentials);
 * - PrincipalRateLimitGuard charges what is still owed, then writes the RateLimit fields and refuses past the quota.
 */
@Injectable()
export class PrincipalQuota {
  private readonly charges = new WeakMap<FastifyRequest, Charge>();

  constructor(private readonly limiter: RateLimiter) {}

  owe(request: FastifyRequest): void {
    this.charges.set(request, OWED);
  }

  /**
   * The hit of `principal`'s quota, for the credential's store check to count in its round trip, if the request
   * owes one. Undefined when it owes none, or when the counters are not on Redis (PrincipalRateLimitGuard counts).
   */
  alongside(request: FastifyRequest, principal: Principal): AlongsideCharge | undefined {
    if (this.charges.get(request) !== OWED) return undefined;
    const consume = this.limiter.consumeAlongside('authenticated', principalTracker(principal));
    if (!consume) return undefined;
    return { hit: consume.hit, counted: (result) => this.charges.set(request, { owed: false, state: consume.stateOf(result) }) };
  }

  /** Where the request's charge left its quota, charging it now if nothing has; undefined when it owes none or the limit failed open. */
  async settle(request: FastifyRequest): Promise<RateLimitState | undefined> {
    const charge = this.charges.get(request);
    if (!charge) return undefined;
    if (!charge.owed) return charge.state;
    return this.limiter.consume(request.principal ? 'authenticated' : 'anonymous', rateLimitTracker(request));
  }
}
