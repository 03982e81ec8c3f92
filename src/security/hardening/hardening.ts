import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../../config/app-config';
import { registerCors } from './cors';
import { registerHttpsOnly } from './https-only';
import { registerQueryParameterLimit } from './query-limit';
import { registerSecurityHeaders } from './security-headers';

/**
 * Transport and browser hardening, as Fastify hooks that run before routing to Nest. The order is
 * the order of the onRequest hooks: headers first, so that every refusal below carries them.
 */
export async function registerHardening(fastify: FastifyInstance, config: AppConfig): Promise<void> {
  registerSecurityHeaders(fastify, config);
  registerHttpsOnly(fastify, config);
  await registerCors(fastify, config);
  registerQueryParameterLimit(fastify);
}
