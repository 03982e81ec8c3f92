import type { FastifyRequest } from 'fastify';

type RequestHeaders = Pick<FastifyRequest, 'headers'>;

/** RFC 6750 §2.1: `Authorization: Bearer <b64token>`; the scheme name is case-insensitive. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * The token of an `Authorization: Bearer` header, else null. Headers only: a credential in the query
 * string or the body is never read (docs/http-contract.md; RFC 6750 §5.3, URLs end up in logs and histories).
 */
export function bearerToken(request: RequestHeaders): string | null {
  const header = request.headers.authorization;
  return typeof header === 'string' ? (BEARER.exec(header)?.[1] ?? null) : null;
}

/** The headers that carry a credential: a request authenticates with exactly one of them, once. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-api-key']);

/**
 * How many credentials the request presents, counting repeated headers from the raw request: Node
 * keeps only the first of two `Authorization` headers (and joins repeated `X-Api-Key` ones), so
 * `headers` alone would let `Bearer alice` + `Bearer bob` pass as Alice's one credential.
 */
export function credentialCount(request: Pick<FastifyRequest, 'raw'>): number {
  const { rawHeaders } = request.raw;
  let count = 0;
  // rawHeaders alternates names and values.
  for (let index = 0; index < rawHeaders.length; index += 2) if (CREDENTIAL_HEADERS.has(rawHeaders[index].toLowerCase())) count++;
  return count;
}
