import { Principal, Scope, SCOPES } from '../security/principal';
import type { UserRole } from '../users/user.entity';
import type { AccessTokenRef } from './revocation/revocation-store';
import { ACCESS_TOKEN_TTL_SECONDS, CLOCK_TOLERANCE_SECONDS, TOKEN_AUDIENCE, TOKEN_ISSUER } from './token.constants';

/** API.md, Roles and scopes: what each role's access token carries. */
export const SCOPES_BY_ROLE: Readonly<Record<UserRole, readonly Scope[]>> = {
  customer: ['orders:read', 'orders:write'],
  admin: SCOPES,
};

/** Exactly the claims of API.md: nothing personal (no email, no name), since anyone holding a JWT can read it. */
export interface AccessTokenClaims {
  iss: string;
  aud: string;
  sub: string;
  jti: string;
  iat: number;
  exp: number;
  role: UserRole;
  scope: string;
}

export interface TokenSubject {
  id: string;
  role: UserRole;
  /** The user's revocation cutoff (password change, suspension), if any. */
  tokensValidAfter: Date | null;
}

/** A verified access token: who it speaks for, and what the revocation check looks up. */
export interface VerifiedAccessToken {
  principal: Principal;
  revocationRef: AccessTokenRef & { issuedAt: number };
}

// Lower case only: we issue ids as Postgres prints them, so anything else did not come from us.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const USER_SUBJECT = /^user:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function buildAccessTokenClaims(user: TokenSubject, jti: string, nowMs: number): AccessTokenClaims {
  const iat = issuedAt(nowMs, user.tokensValidAfter);
  return {
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    sub: `user:${user.id}`,
    jti,
    iat,
    exp: iat + ACCESS_TOKEN_TTL_SECONDS,
    role: user.role,
    scope: SCOPES_BY_ROLE[user.role].join(' '),
  };
}

/**
 * The cutoff that voids every token issued up to now: `iat` has whole seconds, so it is the next
 * second, and a token is void when its `iat` is earlier than the cutoff.
 */
export function revocationCutoff(nowMs: number): number {
  return Math.floor(nowMs / 1000) + 1;
}

/**
 * A token issued in the same second as a revocation, but after it, would fall before the cutoff:
 * its `iat` is moved up to the cutoff (at most one second ahead), so logging in again right after a
 * password change works.
 */
export function issuedAt(nowMs: number, tokensValidAfter: Date | null): number {
  const now = Math.floor(nowMs / 1000);
  return tokensValidAfter ? Math.max(now, Math.ceil(tokensValidAfter.getTime() / 1000)) : now;
}

/**
 * Turns the payload of a token whose signature, `iss`, `aud`, `exp` and `nbf` were already verified
 * into the principal it speaks for, or refuses it. jsonwebtoken accepts a token without `exp` and
 * never checks that `iat` is in the past: both are checked here, as is every claim the principal is
 * built from.
 */
export function readAccessToken(payload: unknown, nowSeconds: number): VerifiedAccessToken | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const claims = payload as Partial<Record<keyof AccessTokenClaims, unknown>>;
  if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return undefined;
  if (claims.iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) return undefined;
  const userId = typeof claims.sub === 'string' ? USER_SUBJECT.exec(claims.sub)?.[1] : undefined;
  if (!userId || typeof claims.jti !== 'string' || !UUID.test(claims.jti)) return undefined;
  if (claims.role !== 'customer' && claims.role !== 'admin') return undefined;
  if (typeof claims.scope !== 'string') return undefined;
  const scopes = claims.scope.split(' ');
  // A token can carry no scope its role does not have, whoever signed it.
  const allowed: readonly string[] = SCOPES_BY_ROLE[claims.role];
  if (!scopes.every((scope) => allowed.includes(scope))) return undefined;
  return {
    principal: { kind: 'user', id: userId, role: claims.role, scopes: new Set(scopes as Scope[]), tokenId: claims.jti, tokenExpiresAt: claims.exp },
    revocationRef: { userId, tokenId: claims.jti, issuedAt: claims.iat },
  };
}
