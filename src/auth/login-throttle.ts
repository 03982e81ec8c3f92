import { Inject, Injectable } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { RateLimitSetting } from '../config/rate-limit-setting';
import { failClosed } from '../security/security-problems';
import { HitCount, HitCounter } from '../throttling/hit-counter';
import { HIT_COUNTER } from '../throttling/hit-counter.module';
import { hitPolicy, RateLimitReport, rateLimitState, tooManyRequests } from '../throttling/rate-limit-fields';

/**
 * The login limits of API.md: attempts per client IP, and failed password checks per email. The
 * email count is kept whether or not the account exists, so the limit reveals nothing about which
 * emails have one (OWASP ASVS V2.2.1). If the counters cannot be reached, password checks fail
 * closed (503): an outage must not switch off brute-force protection.
 */
@Injectable()
export class LoginThrottle {
  private readonly perIp: RateLimitSetting;
  private readonly perEmail: RateLimitSetting;

  constructor(
    @Inject(HIT_COUNTER) private readonly counter: HitCounter,
    config: AppConfig,
  ) {
    this.perIp = config.rateLimit('LOGIN_IP');
    this.perEmail = config.rateLimit('LOGIN_EMAIL');
  }

  /**
   * Runs one password check of `email` from `ip` under both limits: `429` with Retry-After once
   * either is reached, else `check`, which reports its outcome on the attempt. The limits' state
   * goes to `report` whatever happens, for the response's RateLimit fields.
   */
  async limit<T>(ip: string, email: string, report: RateLimitReport, check: (attempt: LoginAttempt) => Promise<T>): Promise<T> {
    const emailKey = `login-email:${sha256(email.toLowerCase())}`;
    const [ipCount, emailCount] = await failClosed(() =>
      // Per IPv6 /64, as for the general limits: a client usually holds a whole /64 and could rotate through it.
      Promise.all([this.counter.hit(`login-ip:${normalizeIp(ip)}`, hitPolicy(this.perIp)), this.counter.peek(emailKey)]),
    );
    const attempt = new LoginAttempt(this.counter, emailKey, this.perEmail, emailCount);
    try {
      // The IP count includes this attempt; the email count, only earlier failures.
      const ipBlocked = ipCount.hits > this.perIp.quota;
      const emailBlocked = emailCount.hits >= this.perEmail.quota;
      if (ipBlocked || emailBlocked) {
        const waitMs = Math.max(ipBlocked ? ipCount.resetMs : 0, emailBlocked ? emailCount.resetMs : 0);
        throw tooManyRequests('Too many login attempts, try again later', waitMs);
      }
      return await check(attempt);
    } finally {
      report([rateLimitState('login-ip', this.perIp, ipCount), rateLimitState('login-email', this.perEmail, attempt.emailCount)]);
    }
  }
}

/** One password check: it reports whether the password was right. */
export class LoginAttempt {
  constructor(
    private readonly counter: HitCounter,
    private readonly emailKey: string,
    private readonly perEmail: RateLimitSetting,
    private count: HitCount,
  ) {}

  /** The email's failures so far. */
  get emailCount(): HitCount {
    return this.count;
  }

  async failed(): Promise<void> {
    this.count = await failClosed(() => this.counter.hit(this.emailKey, hitPolicy(this.perEmail)));
  }

  async succeeded(): Promise<void> {
    await failClosed(() => this.counter.reset(this.emailKey));
    this.count = { hits: 0, resetMs: 0 };
  }
}

/** The email is hashed into the key, so Redis never holds the address itself. */
function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
