import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The limit on refused credentials per client address (docs/http-contract.md, Rate limits), as the
 * AuthenticationGuard uses it. Rate limiting is infrastructure (src/throttling/), which provides it under
 * REFUSED_CREDENTIAL_LIMIT: security/ states what it needs and never imports the limiter.
 */
export interface RefusedCredentialLimit {
  /** Throws a 429 when refused credentials from this address have used up its quota. */
  refuseIfBlocked(request: FastifyRequest): void;
  /** Counts one refused credential against the address's quota, sets the RateLimit fields; 429 once over. */
  charge(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/** Injection token of the RefusedCredentialLimit. */
export const REFUSED_CREDENTIAL_LIMIT = Symbol('REFUSED_CREDENTIAL_LIMIT');
