import { HttpException } from '@nestjs/common';
import type { ErrorWriter } from '../common/http/error-writer';

/**
 * The error codes of RFC 6749 §5.2 this endpoint answers with, and no others: `temporarily_unavailable`
 * and `server_error` are defined for the authorization endpoint only (§4.1.2.1), so clients of the
 * token endpoint need not know them (docs/decisions/0010).
 */
export type OAuthErrorCode = 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'unauthorized_client' | 'unsupported_grant_type' | 'invalid_scope';

/** RFC 6749 §5.2's error body, at the token, revocation and introspection endpoints (docs/http-contract.md, Errors). */
export interface OAuthErrorBody {
  error: OAuthErrorCode;
  error_description: string;
}

/**
 * A token-endpoint error with its RFC 6749 §5.2 code. `invalid_client` is 401, the others 400.
 * `description`: printable ASCII only, no `"` or `\\` (§5.2); never a secret or what was sent.
 */
export class OAuthError extends HttpException {
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    /** The client tried HTTP Basic: the 401 then challenges for Basic (RFC 6749 §5.2). */
    readonly basicChallenge = false,
  ) {
    super(description, code === 'invalid_client' ? 401 : 400);
  }
}

/**
 * The ErrorWriter of the client endpoints (set by ClientEndpoint's `@RouteConfig()`, read by the global ProblemFilter,
 * so it also covers what the handler never sees: a body Fastify refused, a rate limit, a 405): any error
 * as RFC 6749 §5.2 JSON. The status, its detail and headers are the ProblemFilter's, as on every route.
 */
export const writeOAuthError: ErrorWriter = (error, status, detail) => ({
  // RFC 6749 §5.1: an answer from the token endpoint is never cached (Pragma for HTTP/1.0 caches).
  headers: { ...oauthErrorHeaders(error), 'cache-control': 'no-store', pragma: 'no-cache', 'content-type': 'application/json; charset=utf-8' },
  body: oauthErrorBody(error, status, detail),
});

/**
 * Any error, as RFC 6749 §5.2's body: only the shape changes. What §5.2 has no code for (a
 * rate limit, a store or database down, a bug) is `invalid_request`, the catch-all: the status (429,
 * 503, 500) and Retry-After say what happened and when to come back (docs/decisions/0010). A 5xx
 * other than 503 says nothing more than that, as everywhere.
 */
function oauthErrorBody(error: unknown, status: number, detail: string | undefined): OAuthErrorBody {
  if (error instanceof OAuthError) return { error: error.code, error_description: error.description };
  // A 503 is always one of ours (store or database down): its message says so and nothing more.
  if (status === 503 && error instanceof HttpException) return { error: 'invalid_request', error_description: error.message };
  if (status === 429) return { error: 'invalid_request', error_description: detail ?? 'Too many requests' };
  if (status >= 500) return { error: 'invalid_request', error_description: 'The server could not handle the request' };
  return { error: 'invalid_request', error_description: detail ?? 'The request is malformed' };
}

/** RFC 6749 §5.2: a client that tried HTTP Basic gets a 401 that challenges for it. */
function oauthErrorHeaders(error: unknown): Record<string, string> {
  return error instanceof OAuthError && error.basicChallenge ? { 'WWW-Authenticate': 'Basic realm="orders-api"' } : {};
}
