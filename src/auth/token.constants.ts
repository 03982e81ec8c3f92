/**
 * Every fixed property of our tokens, in one place. `iss` (the configured PUBLIC_URL, RFC 8414 §2)
 * and `aud` are checked on every access token (RFC 7519 §4.1.1, §4.1.3), so a token minted for
 * another service is refused here.
 */
export const TOKEN_AUDIENCE = 'urn:orders-api:api';

/**
 * RFC 9068 §2.2: every access token names the client it was issued to. A user's own login goes
 * through the first-party client, registered under this id; it holds a `:`, which no service
 * client's id (base64url) can, so the two can never be confused.
 */
export const FIRST_PARTY_CLIENT_ID = 'orders-api:first-party';

/**
 * An app's `client_id` (the authorization code grant, docs/decisions/0024): `app.` and 128 random bits in
 * base64url. No service client's id (base64url only) holds a `.`, so the `client_id` of a user's token says
 * whether the user signed in themselves or authorized an app, without a lookup.
 */
export const APP_CLIENT_ID_PREFIX = 'app.';
export const APP_CLIENT_ID = /^app\.[A-Za-z0-9_-]{22}$/;
export const APP_CLIENT_ID_LENGTH = APP_CLIENT_ID_PREFIX.length + 22;

/** RFC 9068 §2.1: access tokens are typed, so no other kind of JWT can pass for one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const ACCESS_TOKEN_ALGORITHM = 'RS256';
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

/** A login session ends 14 days after login, however often it is refreshed (absolute, family-wide). */
export const REFRESH_FAMILY_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** Allowed clock skew between instances when checking `exp`, `nbf` and `iat`. */
export const CLOCK_TOLERANCE_SECONDS = 10;
