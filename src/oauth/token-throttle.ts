import { Injectable } from '@nestjs/common';
import { addressBucket } from '../throttling/address-bucket';
import { tooManyRequests } from '../throttling/rate-limit-fields';
import type { RateLimitReport } from '../throttling/rate-limit-report';
import { RateLimiter } from '../throttling/rate-limiter';

/**
 * RATE_LIMIT_TOKEN: token requests per submitted `client_id` and client address, whether or not that
 * client exists, counted before its secret is checked, so guessing a secret is as slow as the limit
 * allows. Per address too, since a client_id is no secret: keyed by the client_id alone, anyone who
 * knows it could spend its quota and lock the real client out (docs/decisions/0010). If the counter
 * cannot be reached, the request fails closed (503), as login does: an outage must not switch off
 * the protection of a credential check.
 */
@Injectable()
export class TokenThrottle {
  constructor(private readonly limiter: RateLimiter) {}

  /** Counts one token request; where the limit stands goes to `report` (the response's RateLimit fields). */
  async limit(clientId: string, ip: string, report: RateLimitReport): Promise<void> {
    // Per IPv6 /64, as for the other per-address limits.
    const state = await this.limiter.consume('token', `${clientId}:${addressBucket(ip)}`);
    report([state]);
    if (state.blocked) throw tooManyRequests(state);
  }
}
