import type { UserRole } from './roles';
import type { Scope } from './scopes';

/**
 * Whoever made the request, however they authenticated (user access token, API key, or a service
 * client's token): one shape for every handler and guard (docs/design.md, pattern 2).
 */
export interface Principal {
  kind: 'user' | 'client';
  /** The user's or service client's id (a UUID). */
  id: string;
  /** Users only; `admin` is carried only by user access tokens, never by a key or a client. */
  role?: UserRole;
  scopes: ReadonlySet<Scope>;
  /**
   * Whether a user's address is verified, as their access token says (`email_verified`); absent for an API key
   * (only a verified user can create one) and for a service client.
   */
  emailVerified?: boolean;
  /**
   * Set when a user's access token was issued to an app the user authorized (the authorization code grant): the
   * app's `client_id`. Such a token acts for the user only on routes its scopes open, never on the account itself
   * (requireUserToken), and carries no role.
   */
  appClientId?: string;
  /** Set when the request authenticated with an API key. */
  keyId?: string;
  /** The access token's `jti` and expiry, for logout (token requests only). */
  tokenId?: string;
  tokenExpiresAt?: number;
  /** The token generation the access token was issued in (token requests only). */
  tokenGeneration?: number;
}

/** Where the authentication guard leaves the principal on the Fastify request. */
declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}
