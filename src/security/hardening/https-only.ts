import type { FastifyInstance } from 'fastify';
import { ProblemException } from '../../common/http/problem.exception';
import { AppConfig } from '../../config/app-config';

/**
 * In production, a request that did not arrive over TLS is refused with 403, never redirected:
 * by the time we could redirect, its credential already crossed the network in clear text
 * (OWASP REST Security Cheat Sheet, "HTTPS"). `request.protocol` is 'https' for a TLS socket, or
 * what `X-Forwarded-Proto` says when the direct peer is a trusted proxy (Fastify's trustProxy).
 * Health checks are exempt: load balancers and orchestrators probe them over plain HTTP.
 */
export function registerHttpsOnly(fastify: FastifyInstance, config: AppConfig): void {
  if (!config.isProduction) return;
  fastify.addHook('onRequest', (request, _reply, done) => {
    done(request.protocol !== 'https' && !request.url.startsWith('/health/') ? new ProblemException(403, 'HTTPS is required') : undefined);
  });
}
