import { Inject, Injectable } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { RateLimitSetting } from '../config/rate-limit-setting';
import { failClosed } from '../security/security-problems';
import { HitCounter } from '../throttling/hit-counter';
import { HIT_COUNTER } from '../throttling/hit-counter.module';
import { hitPolicy, RateLimitReport, rateLimitState, tooManyRequests } from '../throttling/rate-limit-fields';

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
  private readonly setting: RateLimitSetting;

  constructor(
    @Inject(HIT_COUNTER) private readonly counter: HitCounter,
    config: AppConfig,
  ) {
    this.setting = config.rateLimit('TOKEN');
  }

  async limit(clientId: string, ip: string, report: RateLimitReport): Promise<void> {
    // Per IPv6 /64, as for the other per-address limits.
    const count = await failClosed(() => this.counter.hit(`oauth-token:${clientId}:${normalizeIp(ip)}`, hitPolicy(this.setting)));
    const state = rateLimitState('token', this.setting, count);
    report([state]);
    if (count.blocked) throw tooManyRequests(`Too many token requests; retry after ${state.resetSeconds} s`, count.resetMs);
  }
}
