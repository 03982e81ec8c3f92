import { ACCESS_TOKEN_TTL_SECONDS, CLOCK_TOLERANCE_SECONDS } from '../token.constants';

/** One access token, as far as revocation is concerned. Times are JWT NumericDates (seconds). */
export interface AccessTokenRef {
  userId: string;
  tokenId: string;
}

/**
 * Access-token revocation shared by every instance of the service (Redis), or held in memory in the
 * embedded single-instance mode. Entries live only as long as the tokens they void could still be
 * accepted, so the store stays small.
 */
export interface RevocationStore {
  /** Voids single tokens (logout, refresh-token reuse) until they expire anyway. */
  revokeTokens(tokens: Array<AccessTokenRef & { expiresAt: number }>): Promise<void>;
  /** Voids every token of the user whose `iat` is earlier than `cutoff` (password change, suspension). */
  revokeIssuedBefore(userId: string, cutoff: number): Promise<void>;
  /** Both checks in one round trip: is this token revoked, singly or by its user's cutoff? */
  isRevoked(token: AccessTokenRef & { issuedAt: number }): Promise<boolean>;
}

export const REVOCATION_STORE = Symbol('REVOCATION_STORE');

/** The store could not answer: the caller must fail closed, never accept a token whose state is unknown. */
export class RevocationStoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The revocation store is unavailable', { cause });
    this.name = 'RevocationStoreUnavailableError';
  }
}

/** How long an entry must outlive the instant it names: until no token it voids can still be accepted. */
export function retentionMs(expiresAtSeconds: number, nowMs: number): number {
  return (expiresAtSeconds + CLOCK_TOLERANCE_SECONDS) * 1000 - nowMs;
}

/** The latest moment a token issued before `cutoff` can still be accepted. */
export function cutoffExpiry(cutoff: number): number {
  return cutoff + ACCESS_TOKEN_TTL_SECONDS;
}
