import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../../config/app-config';

/**
 * Cross-origin access for the configured browser origins only (CORS_ORIGINS: exact origins, no
 * wildcard; see loadConfig). Credentials stay off: clients send a bearer token or API key in a
 * header, never a cookie, so the browser has no ambient credential to attach (OWASP HTML5 Security
 * Cheat Sheet, CORS). With no origin configured, no CORS header is ever sent.
 */
export async function registerCors(fastify: FastifyInstance, config: AppConfig): Promise<void> {
  const origins = config.corsOrigins;
  await fastify.register(cors, {
    origin: origins.length > 0 ? origins : false,
    credentials: false,
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-API-Key', 'Idempotency-Key', 'X-Request-Id'],
    // A browser script may read only the response headers listed here (Fetch standard, CORS).
    exposedHeaders: ['RateLimit', 'RateLimit-Policy', 'Retry-After', 'X-Request-Id', 'Idempotent-Replayed'],
    // Browsers may cache a preflight answer for 10 minutes instead of asking before every request.
    maxAge: 600,
  });
}
