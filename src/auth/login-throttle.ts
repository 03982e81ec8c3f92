import { Injectable } from '@nestjs/common';
import { sha256Hex } from '../common/sha256';
import { addressBucket } from '../throttling/address-bucket';
import { tooManyRequests } from '../throttling/rate-limit-fields';
import type { RateLimitReport } from '../throttling/rate-limit-report';
import { RateLimiter, RateLimitState } from '../throttling/rate-limiter';
import type { CredentialLimit } from '../throttling/rate-limit-policies';

/**
 * Two limits on one kind of request: per client IP, and per email address. Each request is counted before it is
 * served (reserved), in one atomic increment shared by every instance, so of any number of requests racing, at
 * most the quota are served and the rest get 429. The email count is kept whether or not an account has the
 * address, so the limit reveals nothing about which do (OWASP ASVS V2.2.1). If the counters cannot be reached,
 * the request fails closed (503): an outage must not switch off brute-force or mail-flood protection.
 */
export class AddressAndEmailThrottle {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly perAddressLimit: CredentialLimit,
    private readonly perEmailLimit: CredentialLimit,
  ) {}

  /**
   * Runs `serve` for a request about `email` from `ip` under both limits: `429` with Retry-After once either is
   * spent. The limits' state goes to `report` (the response's RateLimit fields) whatever happens.
   */
  async limit<T>(ip: string, email: string, report: RateLimitReport, serve: (attempt: LimitedAttempt) => Promise<T>): Promise<T> {
    // `email` arrives normalised (NFKC, lower case): by the DTO, or as stored.
    // The email is hashed into the key, so Redis never holds the address itself.
    const attempt = new LimitedAttempt(this.limiter, this.perEmailLimit, sha256Hex(email));
    // Per IPv6 /64, as for the general limits: a client usually holds a whole /64 and could rotate through it.
    const perAddress = await this.limiter.consume(this.perAddressLimit, addressBucket(ip));
    try {
      // A refused address spends nothing of the email's quota (it only reads where it stands).
      if (perAddress.blocked) {
        attempt.perEmail = await this.limiter.peek(this.perEmailLimit, attempt.emailKey);
        throw tooManyRequests(perAddress);
      }
      attempt.perEmail = await this.limiter.consume(this.perEmailLimit, attempt.emailKey);
      if (attempt.perEmail.blocked) throw tooManyRequests(attempt.perEmail);
      return await serve(attempt);
    } finally {
      report([perAddress, attempt.perEmail]);
    }
  }

  /** Runs `serve` under the per-IP limit alone: for a request that names no address (it brings a mailed token). */
  async limitAddress<T>(ip: string, report: RateLimitReport, serve: () => Promise<T>): Promise<T> {
    const perAddress = await this.limiter.consume(this.perAddressLimit, addressBucket(ip));
    report([perAddress]);
    if (perAddress.blocked) throw tooManyRequests(perAddress);
    return serve();
  }
}

/** One request, already counted: a login with the right password gives the email its quota back. */
export class LimitedAttempt {
  /** Where the email stands, this request included. */
  perEmail: RateLimitState;

  constructor(
    private readonly limiter: RateLimiter,
    private readonly perEmailLimit: CredentialLimit,
    readonly emailKey: string,
  ) {
    this.perEmail = limiter.untouched(perEmailLimit);
  }

  async succeeded(): Promise<void> {
    this.perEmail = await this.limiter.refund(this.perEmailLimit, this.emailKey);
  }
}

/** The login limits: password checks per client IP and per email (a password change's check too). */
@Injectable()
export class LoginThrottle extends AddressAndEmailThrottle {
  constructor(limiter: RateLimiter) {
    super(limiter, 'loginPerAddress', 'loginPerEmail');
  }
}

/**
 * The account-mail limits: requests that mail an address (register, resend, reset, e-mail change) per client IP
 * and per address, so nobody can flood an inbox, or the outbox, through the service.
 */
@Injectable()
export class AccountMailThrottle extends AddressAndEmailThrottle {
  constructor(limiter: RateLimiter) {
    super(limiter, 'accountPerAddress', 'accountPerEmail');
  }
}
