import { UUID, UUID_SOURCE } from '../common/uuid';
import type { Principal } from '../security/principal';
import type { UserRole } from '../security/roles';
import { APP_SCOPES, CLIENT_SCOPES, Scope, SCOPES_BY_ROLE } from '../security/scopes';
import type { CheckedToken } from './revocation/revocation-store';
import { ACCESS_TOKEN_TTL_SECONDS, APP_CLIENT_ID, CLOCK_TOLERANCE_SECONDS, FIRST_PARTY_CLIENT_ID, TOKEN_AUDIENCE } from './token.constants';

/** Exactly the claims of docs/http-contract.md: nothing personal (no email, no name), since anyone holding a JWT can read it. */
interface CommonClaims {
  iss: string;
  aud: string;
  sub: string;
  jti: string;
  iat: number;
  exp: number;
  scope: string;
  /** RFC 9068 §2.2: the service client's id, the app's a user authorized, or FIRST_PARTY_CLIENT_ID for a user's own login. */
  client_id: string;
  /**
   * The subject's token generation when the token was issued (a private claim, RFC 7519 §4.3): a
   * password change, suspension or deletion moves the generation on and voids every earlier token,
   * exactly, whatever the second (docs/decisions/0009).
   */
  gen: number;
}

/** A user's token names the role, and whether the user's address is verified; a service client's has neither. */
export interface UserTokenClaims extends CommonClaims {
  role: UserRole;
  /**
   * OpenID Connect Core §5.1's claim: an unverified account may sign in but not order or mint API keys
   * (requireVerifiedEmail). A token says what was true when it was issued: after the verification, the next
   * refresh brings a token that says so.
   */
  email_verified: boolean;
}

export type ClientTokenClaims = CommonClaims;

/**
 * A user's token issued to an app they authorized (the authorization code grant): the app's `client_id`, the
 * scopes granted, whether the address is verified, and no role, so an admin's authorization never hands an app
 * an admin route (docs/decisions/0024).
 */
export type AppTokenClaims = CommonClaims & Pick<UserTokenClaims, 'email_verified'>;

export interface TokenSubject {
  id: string;
  role: UserRole;
  /** The generation of the session the token is issued for. */
  tokenGeneration: number;
  emailVerified: boolean;
}

/** An app being issued a token for a user: its `client_id` and the scopes the user granted it. */
export interface TokenApp {
  clientId: string;
  scopes: readonly Scope[];
}

/** A service client being issued a token, with the scopes granted this time. */
export interface TokenClient {
  id: string;
  clientId: string;
  scopes: readonly Scope[];
  tokenGeneration: number;
}

/** A verified access token: who it speaks for, what the revocation check looks up, and when it may be used. */
export interface VerifiedAccessToken {
  principal: Principal;
  revocationRef: CheckedToken;
  lifetime: TokenLifetime;
}

/** The time claims of an access token (JWT NumericDates, seconds). */
export interface TokenLifetime {
  iat: number;
  nbf?: number;
  exp: number;
}

/**
 * Whether a token may be used at `nowSeconds`, allowing for the clock skew between instances: not expired
 * (RFC 7519 §4.1.4), not before its `nbf` (§4.1.5), not issued in the future. The same rules as jsonwebtoken's,
 * so a verified token that is used again later (AccessTokenVerifier keeps it) is held to them on every use.
 */
export function withinLifetime({ iat, nbf, exp }: TokenLifetime, nowSeconds: number): boolean {
  const latest = nowSeconds + CLOCK_TOLERANCE_SECONDS;
  return nowSeconds < exp + CLOCK_TOLERANCE_SECONDS && (nbf === undefined || nbf <= latest) && iat <= latest;
}

// Lower case only (UUID): we issue ids as Postgres prints them, so anything else did not come from us.
const SUBJECT = new RegExp(`^(user|client):(${UUID_SOURCE})$`);

/** `issuer`: the configured PUBLIC_URL (AppConfig.publicUrl), the issuer of the OAuth metadata too. */
export function buildAccessTokenClaims(user: TokenSubject, jti: string, nowMs: number, issuer: string): UserTokenClaims {
  return {
    ...commonClaims(issuer, `user:${user.id}`, FIRST_PARTY_CLIENT_ID, jti, nowMs, user.tokenGeneration, SCOPES_BY_ROLE[user.role]),
    role: user.role,
    email_verified: user.emailVerified,
  };
}

export function buildAppTokenClaims(user: Omit<TokenSubject, 'role'>, app: TokenApp, jti: string, nowMs: number, issuer: string): AppTokenClaims {
  return { ...commonClaims(issuer, `user:${user.id}`, app.clientId, jti, nowMs, user.tokenGeneration, app.scopes), email_verified: user.emailVerified };
}

export function buildClientTokenClaims(client: TokenClient, jti: string, nowMs: number, issuer: string): ClientTokenClaims {
  return commonClaims(issuer, `client:${client.id}`, client.clientId, jti, nowMs, client.tokenGeneration, client.scopes);
}

function commonClaims(iss: string, sub: string, clientId: string, jti: string, nowMs: number, gen: number, scopes: readonly Scope[]): CommonClaims {
  const iat = Math.floor(nowMs / 1000);
  return { iss, aud: TOKEN_AUDIENCE, sub, jti, iat, exp: iat + ACCESS_TOKEN_TTL_SECONDS, scope: scopes.join(' '), client_id: clientId, gen };
}

/**
 * The revocation store keeps one generation per subject id. A service client's is namespaced, so a
 * client's (moved on when it is deleted) can never be read as a user's, or the other way round.
 */
export function clientRevocationSubject(clientId: string): string {
  return `client:${clientId}`;
}

/**
 * Turns the payload of a token whose signature, `iss`, `aud`, `exp` and `nbf` were already verified
 * into the principal it speaks for, or refuses it. jsonwebtoken accepts a token without `exp` and
 * never checks that `iat` is in the past: both are checked here (with `exp` and `nbf` again, by the rules
 * every later use of the token is held to), as is every claim the principal is built from, and a lifetime
 * no longer than the one we issue.
 */
export function readAccessToken(payload: unknown, nowSeconds: number): VerifiedAccessToken | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const claims = payload as Partial<Record<keyof UserTokenClaims | keyof ClientTokenClaims | 'nbf', unknown>>;
  if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number' || (claims.nbf !== undefined && typeof claims.nbf !== 'number')) return undefined;
  const lifetime: TokenLifetime = { iat: claims.iat, exp: claims.exp, ...(claims.nbf !== undefined && { nbf: claims.nbf }) };
  if (!withinLifetime(lifetime, nowSeconds)) return undefined;
  // Defence in depth if a signing key leaks: a token minted to live longer than we ever issue is refused.
  if (claims.exp - claims.iat > ACCESS_TOKEN_TTL_SECONDS) return undefined;
  if (typeof claims.gen !== 'number' || !Number.isSafeInteger(claims.gen) || claims.gen < 0) return undefined;
  const subject = typeof claims.sub === 'string' ? SUBJECT.exec(claims.sub) : null;
  if (!subject || typeof claims.jti !== 'string' || !UUID.test(claims.jti)) return undefined;
  const kind = subject[1] as Principal['kind'];
  const id = subject[2];
  const grant = grantOf(kind, claims);
  const scopes = grant && scopesWithin(claims.scope, grant.allowed);
  if (!scopes) return undefined;
  return {
    principal: {
      kind,
      id,
      ...(grant.role && { role: grant.role }),
      ...(grant.emailVerified !== undefined && { emailVerified: grant.emailVerified }),
      ...(grant.appClientId && { appClientId: grant.appClientId }),
      scopes,
      tokenId: claims.jti,
      tokenExpiresAt: claims.exp,
      tokenGeneration: claims.gen,
    },
    revocationRef: { subject: kind === 'user' ? id : clientRevocationSubject(id), tokenId: claims.jti, generation: claims.gen },
    lifetime,
  };
}

/** What the kind-specific claims allow: a user's role and its scopes, an app's delegated scopes, or a client's scopes. */
function grantOf(
  kind: Principal['kind'],
  claims: { role?: unknown; client_id?: unknown; email_verified?: unknown },
): { role?: UserRole; emailVerified?: boolean; appClientId?: string; allowed: readonly Scope[] } | undefined {
  const clientId = typeof claims.client_id === 'string' ? claims.client_id : undefined;
  const isApp = clientId !== undefined && APP_CLIENT_ID.test(clientId);
  // A client's token never carries a role, so it can never pass for an admin's (docs/http-contract.md, Roles and scopes).
  if (kind === 'client') {
    const registered = clientId !== undefined && clientId !== FIRST_PARTY_CLIENT_ID && !isApp;
    return registered && claims.role === undefined && claims.email_verified === undefined ? { allowed: CLIENT_SCOPES } : undefined;
  }
  if (typeof claims.email_verified !== 'boolean') return undefined;
  // A user's token issued to an app: no role, whatever the user's, and only scopes a user may delegate (docs/decisions/0024).
  if (isApp) return claims.role === undefined ? { emailVerified: claims.email_verified, appClientId: clientId, allowed: APP_SCOPES } : undefined;
  // Otherwise a user's token comes only from the first-party client: a service client's id here is not ours.
  if (clientId !== FIRST_PARTY_CLIENT_ID || (claims.role !== 'customer' && claims.role !== 'admin')) return undefined;
  return { role: claims.role, emailVerified: claims.email_verified, allowed: SCOPES_BY_ROLE[claims.role] };
}

/** A token can carry no scope its holder cannot have, whoever signed it. */
function scopesWithin(scope: unknown, allowed: readonly Scope[]): Set<Scope> | undefined {
  if (typeof scope !== 'string') return undefined;
  const scopes = scope.split(' ');
  return scopes.every((name) => (allowed as readonly string[]).includes(name)) ? new Set(scopes as Scope[]) : undefined;
}
