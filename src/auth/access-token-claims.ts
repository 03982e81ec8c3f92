import { Principal, Scope, SCOPES } from '../security/principal';
import type { UserRole } from '../users/user.entity';
import type { AccessTokenRef } from './revocation/revocation-store';
import { ACCESS_TOKEN_TTL_SECONDS, CLOCK_TOLERANCE_SECONDS, FIRST_PARTY_CLIENT_ID, TOKEN_AUDIENCE } from './token.constants';

/** API.md, Roles and scopes: what each role's access token carries. */
export const SCOPES_BY_ROLE: Readonly<Record<UserRole, readonly Scope[]>> = {
  customer: ['orders:read', 'orders:write'],
  admin: SCOPES,
};

/**
 * The scopes a service client can hold (API.md, Service client admin): never `orders:write`, which
 * places and cancels orders for the person who owns them.
 */
export const CLIENT_SCOPES: readonly Scope[] = ['orders:read', 'orders:fulfil', 'products:write'];

/** Exactly the claims of API.md: nothing personal (no email, no name), since anyone holding a JWT can read it. */
interface CommonClaims {
  iss: string;
  aud: string;
  sub: string;
  jti: string;
  iat: number;
  exp: number;
  scope: string;
  /** RFC 9068 §2.2: the service client's id, or FIRST_PARTY_CLIENT_ID for a user's own login. */
  client_id: string;
}

/** A user's token names the role; a service client's has none. */
export interface UserTokenClaims extends CommonClaims {
  role: UserRole;
}

export type ClientTokenClaims = CommonClaims;

export interface TokenSubject {
  id: string;
  role: UserRole;
  /** The user's revocation cutoff (password change, suspension), if any. */
  tokensValidAfter: Date | null;
}

/** A service client being issued a token, with the scopes granted this time. */
export interface TokenClient {
  id: string;
  clientId: string;
  scopes: readonly Scope[];
}

/** A verified access token: who it speaks for, and what the revocation check looks up. */
export interface VerifiedAccessToken {
  principal: Principal;
  revocationRef: AccessTokenRef & { issuedAt: number };
}

// Lower case only: we issue ids as Postgres prints them, so anything else did not come from us.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SUBJECT = /^(user|client):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** `issuer`: the configured PUBLIC_URL (AppConfig.publicUrl), the issuer of the OAuth metadata too. */
export function buildAccessTokenClaims(user: TokenSubject, jti: string, nowMs: number, issuer: string): UserTokenClaims {
  const iat = issuedAt(nowMs, user.tokensValidAfter);
  return { ...commonClaims(issuer, `user:${user.id}`, FIRST_PARTY_CLIENT_ID, jti, iat, SCOPES_BY_ROLE[user.role]), role: user.role };
}

export function buildClientTokenClaims(client: TokenClient, jti: string, nowMs: number, issuer: string): ClientTokenClaims {
  return commonClaims(issuer, `client:${client.id}`, client.clientId, jti, issuedAt(nowMs, null), client.scopes);
}

function commonClaims(iss: string, sub: string, clientId: string, jti: string, iat: number, scopes: readonly Scope[]): CommonClaims {
  return { iss, aud: TOKEN_AUDIENCE, sub, jti, iat, exp: iat + ACCESS_TOKEN_TTL_SECONDS, scope: scopes.join(' '), client_id: clientId };
}

/**
 * The revocation store keeps one cutoff per subject id. A service client's is namespaced, so a
 * client's cutoff (set when it is deleted) can never be read as a user's, or the other way round.
 */
export function clientRevocationSubject(clientId: string): string {
  return `client:${clientId}`;
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
  const claims = payload as Partial<Record<keyof UserTokenClaims | keyof ClientTokenClaims, unknown>>;
  if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return undefined;
  if (claims.iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) return undefined;
  const subject = typeof claims.sub === 'string' ? SUBJECT.exec(claims.sub) : null;
  if (!subject || typeof claims.jti !== 'string' || !UUID.test(claims.jti)) return undefined;
  const kind = subject[1] as Principal['kind'];
  const id = subject[2];
  const grant = grantOf(kind, claims);
  const scopes = grant && scopesWithin(claims.scope, grant.allowed);
  if (!scopes) return undefined;
  return {
    principal: { kind, id, ...(grant.role && { role: grant.role }), scopes, tokenId: claims.jti, tokenExpiresAt: claims.exp },
    revocationRef: { userId: kind === 'user' ? id : clientRevocationSubject(id), tokenId: claims.jti, issuedAt: claims.iat },
  };
}

/** What the kind-specific claims allow: a user's role and its scopes, or a client's scopes. */
function grantOf(kind: Principal['kind'], claims: { role?: unknown; client_id?: unknown }): { role?: UserRole; allowed: readonly Scope[] } | undefined {
  // A client's token never carries a role, so it can never pass for an admin's (API.md, Roles and scopes).
  if (kind === 'client') {
    const registered = typeof claims.client_id === 'string' && claims.client_id !== FIRST_PARTY_CLIENT_ID;
    return registered && claims.role === undefined ? { allowed: CLIENT_SCOPES } : undefined;
  }
  // A user's token comes only from the first-party client: a service client's id here is not ours.
  if (claims.client_id !== FIRST_PARTY_CLIENT_ID || (claims.role !== 'customer' && claims.role !== 'admin')) return undefined;
  return { role: claims.role, allowed: SCOPES_BY_ROLE[claims.role] };
}

/** A token can carry no scope its holder cannot have, whoever signed it. */
function scopesWithin(scope: unknown, allowed: readonly Scope[]): Set<Scope> | undefined {
  if (typeof scope !== 'string') return undefined;
  const scopes = scope.split(' ');
  return scopes.every((name) => (allowed as readonly string[]).includes(name)) ? new Set(scopes as Scope[]) : undefined;
}
