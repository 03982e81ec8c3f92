import { OAuthError } from './oauth-error';
import { ClientCredentials, readClientRequest } from './token-request';

/** A revocation (RFC 7009 §2.1) or introspection (RFC 7662 §2.1) request: the token, and who asks. */
export interface PresentedTokenRequest {
  token: string;
  credentials?: ClientCredentials;
}

/**
 * Reads `token` and the client's credentials. `token_type_hint` is read only to be refused if sent twice: the
 * token's own form says what it is (PresentedTokens), and both RFCs let the server ignore the hint.
 */
export function readPresentedTokenRequest(body: unknown, authorization: string | undefined): PresentedTokenRequest {
  const { parameters, credentials } = readClientRequest(body, authorization, ['token', 'token_type_hint'] as const);
  if (parameters.token === undefined) throw new OAuthError('invalid_request', 'token is required');
  return { token: parameters.token, credentials };
}
