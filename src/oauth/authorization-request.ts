import type { Scope } from '../security/scopes';
import { CODE_CHALLENGE, PKCE_METHOD } from './pkce';
import { requestedScopes } from './requested-scopes';

/** The query of `GET /oauth/authorize`, as Fastify parses it: a parameter sent twice is an array. */
export type AuthorizeQuery = Record<string, unknown>;

/** The two parameters that say where an answer may go: until both are checked, nothing is redirected. */
export interface RedirectTarget {
  clientId: string;
  redirectUri: string;
}

/** The RFC 6749 §4.1.2.1 error codes a request's parameters are refused with (a denial is `access_denied`). */
export type AuthorizeErrorCode = 'invalid_request' | 'unsupported_response_type' | 'invalid_scope';

/** An error to send back to the client's redirect URI, with `state` only when the request's was well formed. */
export interface AuthorizeError {
  error: AuthorizeErrorCode;
  description: string;
  state?: string;
}

/** What the user is asked to grant, once every parameter was checked. */
export interface CheckedAuthorization {
  scopes: Scope[];
  state: string;
  codeChallenge: string;
}

/** RFC 6749 Appendix A.5: `state` is visible ASCII; bounded, since it is stored until the redirect. */
const STATE = /^[\x20-\x7e]{1,512}$/;

/**
 * `client_id` and `redirect_uri`, each sent once, or why not: the caller then shows an error page and never
 * redirects (RFC 6749 §4.1.2.1), since a redirect to a URI nobody checked is an open redirect.
 */
export function readRedirectTarget(query: AuthorizeQuery): RedirectTarget | string {
  const clientId = query.client_id;
  const redirectUri = query.redirect_uri;
  if (typeof clientId !== 'string' || clientId === '') return 'client_id is missing or sent more than once';
  // OAuth 2.1 §4.1.1 lets a client with one redirect URI leave it out; here it is always named, and matched exactly.
  if (typeof redirectUri !== 'string' || redirectUri === '') return 'redirect_uri is missing or sent more than once';
  return { clientId, redirectUri };
}

/**
 * Every other parameter of an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, OAuth 2.1 §4.1.1), once the
 * redirect URI is trusted: an error here goes back to the client. `state` is required (this API's rule, so that
 * every client checks the answer is the one it asked for); PKCE is required, with S256 only.
 */
export function checkAuthorization(query: AuthorizeQuery, clientScopes: readonly Scope[]): CheckedAuthorization | AuthorizeError {
  const state = typeof query.state === 'string' && STATE.test(query.state) ? query.state : undefined;
  const refuse = (error: AuthorizeErrorCode, description: string): AuthorizeError => ({ error, description, ...(state !== undefined && { state }) });
  // RFC 6749 §3.1: a parameter MUST NOT be sent more than once.
  const repeated = Object.keys(query).find((name) => Array.isArray(query[name]));
  if (repeated) return refuse('invalid_request', `${repeated} is sent more than once`);
  if (state === undefined) return refuse('invalid_request', 'state is required: at most 512 visible ASCII characters');
  if (query.response_type !== 'code') {
    return query.response_type === undefined ? refuse('invalid_request', 'response_type is required') : refuse('unsupported_response_type', 'Only code');
  }
  // RFC 7636 §4.3: without a method the challenge would be `plain`, which is what a downgrade looks like.
  if (query.code_challenge_method !== PKCE_METHOD) return refuse('invalid_request', 'PKCE is required, with code_challenge_method S256');
  if (typeof query.code_challenge !== 'string' || !CODE_CHALLENGE.test(query.code_challenge)) {
    return refuse('invalid_request', 'code_challenge must be the 43-character S256 challenge');
  }
  const scope = typeof query.scope === 'string' && query.scope !== '' ? query.scope : undefined;
  const scopes = requestedScopes(scope, clientScopes);
  if (!scopes) return refuse('invalid_scope', 'scope must be a space-separated subset of the scopes of the client');
  return { scopes, state, codeChallenge: query.code_challenge };
}
