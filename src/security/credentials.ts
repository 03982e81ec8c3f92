import type { FastifyRequest } from 'fastify';

type RequestHeaders = Pick<FastifyRequest, 'headers'>;

/** RFC 6750 §2.1: `Authorization: Bearer <b64token>`; the scheme name is case-insensitive. */
const BEARER = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * The token of an `Authorization: Bearer` header, else null. Headers only: a credential in the query
 * string or the body is never read (API.md; RFC 6750 §5.3, URLs end up in logs and histories).
 */
export function bearerToken(request: RequestHeaders): string | null {
  const header = request.headers.authorization;
  return typeof header === 'string' ? (BEARER.exec(header)?.[1] ?? null) : null;
}

/** How many credentials the request presents: a request authenticates with exactly one (API.md). */
export function credentialCount(request: RequestHeaders): number {
  return Number(request.headers.authorization !== undefined) + Number(request.headers['x-api-key'] !== undefined);
}
