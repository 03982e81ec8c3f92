/** The error codes of RFC 6749 §5.2 this endpoint answers with (and §4.1.2.1's two for server trouble). */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'temporarily_unavailable'
  | 'server_error';

/**
 * A token-endpoint error, answered as RFC 6749 §5.2 JSON `{ error, error_description }` (not as
 * problem details: OAuth clients parse this shape). `invalid_client` is 401, the others 400.
 */
export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    /** RFC 6749 §5.2: printable ASCII only, no `"` or `\\`. Never a secret or what was sent. */
    readonly description: string,
    /** The client tried HTTP Basic: the 401 then challenges for Basic (RFC 6749 §5.2). */
    readonly basicChallenge = false,
  ) {
    super(description);
  }

  get status(): number {
    return this.code === 'invalid_client' ? 401 : 400;
  }
}
