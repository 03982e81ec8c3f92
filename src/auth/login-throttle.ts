import { Injectable } from '@nestjs/common';
import { sha256Hex } from '../common/sha256';
import { addressBucket } from '../throttling/address-bucket';
import { tooManyRequests } from '../throttling/rate-limit-fields';
import type { RateLimitReport } from '../throttling/rate-limit-report';
import { RateLimiter, RateLimitState } from '../throttling/rate-limiter';

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
  constructor(private readonly limiter: RateLimiter) {}

  /**
   * Runs one password check of `email` from `ip` under both limits: `429` with Retry-After once
   * either is spent, else `check`, which says on the attempt when the password was right. The
   * limits' state goes to `report` (the response's RateLimit fields) whatever happens.
   */
  async limit<T>(ip: string, email: string, report: RateLimitReport, check: (attempt: LoginAttempt) => Promise<T>): Promise<T> {
    // `email` arrives normalised (NFKC, lower case): by the DTO for a login, as stored for a password change.
    // The email is hashed into the key, so Redis never holds the address itself.
    const attempt = new LoginAttempt(this.limiter, sha256Hex(email));
    // Per IPv6 /64, as for the general limits: a client usually holds a whole /64 and could rotate through it.
    const perAddress = await this.limiter.consume('loginPerAddress', addressBucket(ip));
    try {
      // A refused address spends nothing of the email's quota (it only reads where it stands).
      if (perAddress.blocked) {
        attempt.perEmail = await this.limiter.peek('loginPerEmail', attempt.emailKey);
        throw tooManyRequests(perAddress);
      }
      attempt.perEmail = await this.limiter.consume('loginPerEmail', attempt.emailKey);
      if (attempt.perEmail.blocked) throw tooManyRequests(attempt.perEmail);
      return await check(attempt);
    } finally {
      report([perAddress, attempt.perEmail]);
    }
  }
}

/** One password check, already counted: a right password gives the email its quota back. */
export class LoginAttempt {
  /** Where the email stands, this attempt included. */
  perEmail: RateLimitState;

  constructor(
    private readonly limiter: RateLimiter,
    readonly emailKey: string,
  ) {
    this.perEmail = limiter.untouched('loginPerEmail');
  }

  async succeeded(): Promise<void> {
    this.perEmail = await this.limiter.refund('loginPerEmail', this.emailKey);
  }
}
