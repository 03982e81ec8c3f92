import { ProblemException } from '../common/http/problem.exception';
import { serviceUnavailable } from '../common/http/service-unavailable';

/**
 * A 401 with its RFC 9110 §11.6.1 challenge. RFC 6750 §3.1: `error="invalid_token"` only when a
 * credential was sent; a request without one just learns how to authenticate.
 */
export function unauthorized(detail: string, credentialSent: boolean): ProblemException {
  const challenge = credentialSent ? 'Bearer realm="orders-api", error="invalid_token"' : 'Bearer realm="orders-api"';
  return new ProblemException(401, detail, { 'WWW-Authenticate': challenge });
}

/**
 * The one answer to any bad access credential, whatever was wrong with it (docs/http-contract.md): telling an
 * attacker "expired" or "bad signature" would only help them.
 */
export function invalidCredentials(credentialSent: boolean): ProblemException {
  return unauthorized('Invalid or missing credentials', credentialSent);
}

/**
 * A store that security depends on (revocations, login and rate-limit counters) could not answer. Each
 * store's own error extends it, so security can fail closed on any of them without importing the stores.
 */
export class StoreUnavailableError extends Error {}

/** Whether an error means a security store could not answer. */
export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof StoreUnavailableError;
}

/** Calls a security store; if it cannot answer, the request fails closed with 503 (RFC 9110 §10.2.3: with Retry-After). */
export async function failClosed<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw isStoreUnavailable(error) ? serviceUnavailable() : error;
  }
}
