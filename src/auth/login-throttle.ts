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
 * The login limits: attempts per client IP, and attempts per email. Each attempt is counted before
 * its password is verified (reserved), in one atomic increment shared by every instance, so of any
 * number of attempts racing, at most the quota ever get a password verdict and the rest get 429; a
 * successful login gives the email its quota back. The email count is kept whether or not the
 * account exists, so the limit reveals nothing about which emails have one (OWASP ASVS V2.2.1). If
 * the counters cannot be reached, password checks fail closed (503): an outage must not switch off
 * brute-force protection.
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
   * either is spent, else `check`, which says on the attempt when the password was right. The
   * limits' state goes to `report` whatever happens, for the response's RateLimit fields.
   */
  async limit<T>(ip: string, email: string, report: RateLimitReport, check: (attempt: LoginAttempt) => Promise<T>): Promise<T> {
    // `email` arrives normalised (NFKC, lower case): by the DTO for a login, as stored for a password change.
    const emailKey = `login-email:${sha256(email)}`;
    // Per IPv6 /64, as for the general limits: a client usually holds a whole /64 and could rotate through it.
    const ipCount = await failClosed(() => this.counter.hit(`login-ip:${normalizeIp(ip)}`, hitPolicy(this.perIp)));
    const attempt = new LoginAttempt(this.counter, emailKey);
    try {
      // A refused address spends nothing of the email's quota (it only reads where it stands).
      if (ipCount.blocked) {
        attempt.emailCount = await failClosed(() => this.counter.peek(emailKey));
        throw tooManyRequests('Too many login attempts, try again later', ipCount.resetMs);
      }
      const emailCount = await failClosed(() => this.counter.hit(emailKey, hitPolicy(this.perEmail)));
      attempt.emailCount = emailCount;
      if (emailCount.blocked) throw tooManyRequests('Too many login attempts, try again later', emailCount.resetMs);
      return await check(attempt);
    } finally {
      report([rateLimitState('login-ip', this.perIp, ipCount), rateLimitState('login-email', this.perEmail, attempt.emailCount)]);
    }
  }
}

/** One password check, already counted: a right password gives the email its quota back. */
export class LoginAttempt {
  /** The email's attempts in the current window, this one included. */
  emailCount: HitCount = { hits: 0, resetMs: 0 };

  constructor(
    private readonly counter: HitCounter,
    private readonly emailKey: string,
  ) {}

  async succeeded(): Promise<void> {
    await failClosed(() => this.counter.reset(this.emailKey));
    this.emailCount = { hits: 0, resetMs: 0 };
  }
}

/** The email is hashed into the key, so Redis never holds the address itself. */
function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
