import type { FastifyRequest } from 'fastify';
import { clientAddress } from '../common/http/client-address';
import type { Principal } from '../security/principal';
import { addressBucket } from './address-bucket';

/**
 * Whose quota a request spends (docs/http-contract.md, Rate limits): the API key when one was used (each key is
 * limited on its own), else the user or service client; without a principal, the client IP.
 * The client address honours X-Forwarded-For only when the direct peer is a trusted proxy, and then
 * only a well-formed IP (client-address.ts), so a client cannot pick its own bucket by sending that header.
 */
export function rateLimitTracker(request: FastifyRequest): string {
  if (request.principal) return principalTracker(request.principal);
  // An IPv6 client usually holds a whole /64: counting per address would let it rotate through them.
  return `ip:${addressBucket(clientAddress(request))}`;
}

/** The quota of a principal: its API key's, else its own. */
export function principalTracker(principal: Principal): string {
  return principal.keyId ? `key:${principal.keyId}` : `${principal.kind}:${principal.id}`;
}
