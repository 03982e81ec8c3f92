import { OAuthError } from './oauth-error';

/**
 * The ways a client authenticates, by their RFC 8414 / RFC 7591 names: a confidential client's secret in HTTP
 * Basic or in the body (RFC 6749 §2.3.1), or `none`, a public client naming itself by `client_id` (§2.1, §3.2.1),
 * which PKCE then stands in for.
 */
export const CLIENT_AUTH_METHODS = { basic: 'client_secret_basic', body: 'client_secret_post', none: 'none' } as const;

/** How the client authenticated: with its secret, or (a public client) with its id alone. */
export type ClientCredentials = { clientId: string; clientSecret: string; method: 'basic' | 'body' } | { clientId: string; method: 'none' };

/**
 * A token request as RFC 6749 §4.1.3, §4.4.2 and §6 define it; `credentials` is absent when the client sent
 * none. Which of the grant's own parameters must be there is the grant's to check.
 */
export interface TokenRequest {
  grantType: string;
  scope?: string;
  credentials?: ClientCredentials;
  code?: string;
  redirectUri?: string;
  codeVerifier?: string;
  refreshToken?: string;
}

const PARAMETERS = ['grant_type', 'scope', 'code', 'redirect_uri', 'code_verifier', 'refresh_token'] as const;

const BASIC = /^Basic ([A-Za-z0-9+/]+={0,2})$/i;

/** A request to an endpoint the client authenticates at (token, revocation, introspection): its parameters and credentials. */
export interface ClientRequest<Name extends string> {
  parameters: Partial<Record<Name, string>>;
  credentials?: ClientCredentials;
}

/**
 * Reads the body (a form or JSON) and the Authorization header of a request to one of the client's endpoints.
 * Only the parameters named are read; RFC 6749 §3.2 says to ignore any others (so standard client libraries
 * that add e.g. `audience` still work), and nothing else in the body is ever used.
 */
export function readClientRequest<Name extends string>(
  body: unknown,
  authorization: string | undefined,
  names: readonly Name[],
): ClientRequest<Name | 'client_id' | 'client_secret'> {
  const parameters = readParameters(body, [...names, 'client_id', 'client_secret']);
  const inBody = parameters.client_id !== undefined || parameters.client_secret !== undefined;
  // RFC 6749 §2.3: a client MUST NOT use more than one authentication method in a request.
  if (authorization !== undefined && inBody) {
    throw new OAuthError('invalid_request', 'Authenticate with HTTP Basic or with client_id and client_secret in the body, not both');
  }
  const credentials = authorization !== undefined ? readBasic(authorization) : inBody ? readBodyCredentials(parameters) : undefined;
  return { parameters, credentials };
}

/** A token request (RFC 6749 §4.1.3, §4.4.2, §6): grant_type is required before anything else is looked at. */
export function readTokenRequest(body: unknown, authorization: string | undefined): TokenRequest {
  const { parameters, credentials } = readClientRequest(body, authorization, PARAMETERS);
  if (parameters.grant_type === undefined) throw new OAuthError('invalid_request', 'grant_type is required');
  return {
    grantType: parameters.grant_type,
    scope: parameters.scope,
    credentials,
    code: parameters.code,
    redirectUri: parameters.redirect_uri,
    codeVerifier: parameters.code_verifier,
    refreshToken: parameters.refresh_token,
  };
}

function readParameters<Name extends string>(body: unknown, names: readonly Name[]): Partial<Record<Name, string>> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new OAuthError('invalid_request', 'The body must be a form or a JSON object');
  const parameters: Partial<Record<Name, string>> = {};
  for (const name of names) {
    const value: unknown = (body as Record<string, unknown>)[name];
    if (Array.isArray(value)) throw new OAuthError('invalid_request', `${name} must not be sent more than once`);
    if (value !== undefined && typeof value !== 'string') throw new OAuthError('invalid_request', `${name} must be a string`);
    // RFC 6749 §3.2: a parameter sent without a value is treated as omitted.
    if (value) parameters[name] = value;
  }
  return parameters;
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded, then joined by ':' and sent as HTTP Basic (RFC 7617). */
function readBasic(authorization: string): ClientCredentials {
  const encoded = BASIC.exec(authorization)?.[1];
  const decoded = encoded === undefined ? '' : Buffer.from(encoded, 'base64').toString('utf8');
  // RFC 7617 §2: the user-id cannot hold a ':', so the first one ends it.
  const colon = decoded.indexOf(':');
  const clientId = colon > 0 ? formDecode(decoded.slice(0, colon)) : undefined;
  const clientSecret = colon > 0 ? formDecode(decoded.slice(colon + 1)) : undefined;
  if (!clientId || !clientSecret) throw new OAuthError('invalid_client', 'Client authentication failed', true);
  return { clientId, clientSecret, method: 'basic' };
}

function readBodyCredentials({ client_id: clientId, client_secret: clientSecret }: { client_id?: string; client_secret?: string }): ClientCredentials {
  if (!clientId) throw new OAuthError('invalid_client', 'Client authentication failed');
  // An id alone: a public client (RFC 6749 §3.2.1), which TokenService holds to exactly that.
  return clientSecret ? { clientId, clientSecret, method: 'body' } : { clientId, method: 'none' };
}

/** application/x-www-form-urlencoded decoding: `+` is a space, `%XX` a byte; undefined if malformed. */
function formDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
