import { StoreUnavailableError } from '../../security/security-problems';
import type { ScriptedHit, ScriptedHitResult } from '../../throttling/hit-counter';
import { ACCESS_TOKEN_TTL_SECONDS, CLOCK_TOLERANCE_SECONDS } from '../token.constants';

/**
 * One access token, as far as revocation is concerned. `subject` is the user id, or a service
 * client's namespaced id (clientRevocationSubject). Times are JWT NumericDates (seconds).
 */
export interface AccessTokenRef {
  subject: string;
  tokenId: string;
}

/** A single token voided until it expires (logout, refresh-token reuse). */
export interface RevokedToken extends AccessTokenRef {
  expiresAt: number;
}

/** Every token of `subject` issued in a generation below `generation` is void (password change, suspension, deletion). */
export interface RevokedGenerations {
  subject: string;
  generation: number;
  /** When the generation moved on: its entry lives until no token of an earlier one can still be accepted. */
  revokedAt: number;
}

/** A token being checked: its id, its subject and the generation it was issued in. */
export interface CheckedToken extends AccessTokenRef {
  generation: number;
}

/** Everything revoked that can still matter (tokens not yet expired), as Postgres records it. */
export interface RevocationRecord {
  tokens: RevokedToken[];
  generations: RevokedGenerations[];
}

/**
 * `unknown`: the store does not hold the whole record (never loaded since it started, or it lost
 * its data): the caller must reload it from Postgres before trusting an answer.
 */
export type RevocationVerdict = 'revoked' | 'valid' | 'unknown';

/** A store's answer on one token. */
export interface RevocationCheck {
  verdict: RevocationVerdict;
  /**
   * What the store counted of the hit it was given, in the same round trip: only when the token is `valid`, and
   * only on Redis (a store in memory has no round trip to share, and counters in memory make no ScriptedHit).
   */
  counted?: ScriptedHitResult;
}

/**
 * The fast copy of the revocations Postgres records, checked on every authenticated request: shared
 * by every instance (Redis), or held in memory in the embedded single-instance mode. Entries live
 * only as long as the tokens they void could still be accepted, so the store stays small.
 */
export interface RevocationStore {
  revokeTokens(tokens: RevokedToken[]): Promise<void>;
  /** Never lowers a subject's generation: of two revocations racing, the later one stands. */
  revokeGenerations(entry: RevokedGenerations): Promise<void>;
  /**
   * One round trip: is this token revoked, singly or by its generation, and is the store whole? With `hit` (the
   * principal's rate-limit hit), a store on Redis also counts it in that round trip if the token is valid, so an
   * authenticated request goes to Redis once.
   */
  check(token: CheckedToken, hit?: ScriptedHit): Promise<RevocationCheck>;
  /** Writes the record and marks the store whole again. */
  load(record: RevocationRecord): Promise<void>;
}

export const REVOCATION_STORE = Symbol('REVOCATION_STORE');

/** The store could not answer: the caller must fail closed, never accept a token whose state is unknown. */
export class RevocationStoreUnavailableError extends StoreUnavailableError {
  constructor(cause: unknown) {
    super('The revocation store is unavailable', { cause });
    this.name = 'RevocationStoreUnavailableError';
  }
}

/** How long an entry must outlive the instant it names: until no token it voids can still be accepted. */
export function retentionMs(expiresAtSeconds: number, nowMs: number): number {
  return (expiresAtSeconds + CLOCK_TOLERANCE_SECONDS) * 1000 - nowMs;
}

/** The latest moment a token of a generation revoked at `revokedAt` can still be accepted. */
export function generationExpiry(revokedAt: number): number {
  return revokedAt + ACCESS_TOKEN_TTL_SECONDS;
}

/** The names of a store's entries (the Redis store prefixes them): one per revoked token, one per subject's generation. */
export function tokenKey({ subject, tokenId }: AccessTokenRef): string {
  return `${subject}:token:${tokenId}`;
}

export function generationKey(subject: string): string {
  return `${subject}:generation`;
}
