import { AppConfig, RateLimitName } from '../config/app-config';

/**
 * One rate limit, sized by its RATE_LIMIT_* setting: what the RateLimit fields call it, where the
 * HitCounter keeps its counts, and what its 429 says.
 */
export interface RateLimitPolicy {
  /** The policy's name in the RateLimit fields, e.g. `anonymous`. */
  name: string;
  quota: number;
  windowSeconds: number;
  /** Prefix of its counters' keys: two policies with the same one spend the same quota. */
  counter: string;
  /** The 429's detail, told how many seconds the client has to wait. */
  refusal(retryAfterSeconds: number): string;
}

type PolicyDeclaration = Omit<RateLimitPolicy, 'quota' | 'windowSeconds'> & { setting: RateLimitName };

const rateLimitExceeded = (seconds: number) => `Rate limit exceeded; retry after ${seconds} s`;
const tooManyLogins = () => 'Too many login attempts, try again later';
const tooManyAccountRequests = (seconds: number) => `Too many account requests; retry after ${seconds} s`;

/**
 * How much of the API a client may use (docs/http-contract.md, Rate limits). If the counters cannot
 * be reached they fail open, on purpose: a Redis outage must not take the whole API down with it.
 */
export const GENERAL_LIMITS = {
  /** A request without a principal, per client IP. */
  anonymous: { name: 'anonymous', setting: 'ANONYMOUS', counter: 'anonymous', refusal: rateLimitExceeded },
  /** A request with a verified credential, per principal, across every route. */
  authenticated: { name: 'authenticated', setting: 'AUTHENTICATED', counter: 'authenticated', refusal: rateLimitExceeded },
  /**
   * A refused credential: the request was anonymous after all, so it spends its client IP's
   * `anonymous` quota, under the same name and in the same counter (docs/decisions/0007).
   */
  refusedCredentials: {
    name: 'anonymous',
    setting: 'ANONYMOUS',
    counter: 'anonymous',
    refusal: (seconds) => `Too many refused credentials; retry after ${seconds} s`,
  },
} as const satisfies Record<string, PolicyDeclaration>;

/**
 * Limits on checking a secret (a password, a client secret), counted before the check. If the
 * counters cannot be reached they fail closed (503): an outage must not switch off brute-force
 * protection.
 */
export const CREDENTIAL_LIMITS = {
  /** Login attempts per client address. */
  loginPerAddress: { name: 'login-ip', setting: 'LOGIN_IP', counter: 'login-ip', refusal: tooManyLogins },
  /** Login attempts per email, whether or not an account has it (OWASP ASVS V2.2.1). */
  loginPerEmail: { name: 'login-email', setting: 'LOGIN_EMAIL', counter: 'login-email', refusal: tooManyLogins },
  /** Account requests (sign-up, resend, reset, link redemption, e-mail change) per client address. */
  accountPerAddress: { name: 'account-ip', setting: 'ACCOUNT_IP', counter: 'account-ip', refusal: tooManyAccountRequests },
  /** Mails those requests send to one address, whether or not an account has it. */
  accountPerEmail: { name: 'account-email', setting: 'ACCOUNT_EMAIL', counter: 'account-email', refusal: tooManyAccountRequests },
  /** Token requests per submitted client_id and client address (docs/decisions/0010). */
  token: { name: 'token', setting: 'TOKEN', counter: 'oauth-token', refusal: (seconds) => `Too many token requests; retry after ${seconds} s` },
} as const satisfies Record<string, PolicyDeclaration>;

export type GeneralLimit = keyof typeof GENERAL_LIMITS;
export type CredentialLimit = keyof typeof CREDENTIAL_LIMITS;
export type RateLimitId = GeneralLimit | CredentialLimit;

/** Every policy above, sized by the configuration. */
export function rateLimitPolicies(config: AppConfig): Record<RateLimitId, RateLimitPolicy> {
  const declarations: Record<RateLimitId, PolicyDeclaration> = { ...GENERAL_LIMITS, ...CREDENTIAL_LIMITS };
  return Object.fromEntries(Object.entries(declarations).map(([id, { setting, ...policy }]) => [id, { ...policy, ...config.rateLimit(setting) }])) as Record<
    RateLimitId,
    RateLimitPolicy
  >;
}

export function isGeneralLimit(id: RateLimitId): id is GeneralLimit {
  return id in GENERAL_LIMITS;
}
