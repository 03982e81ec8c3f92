import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { writeRateLimitFields } from './rate-limit-fields';
import type { RateLimitState } from './rate-limiter';

/** The reply of the request whose handler is running, wherever in its call chain we are. */
const responseBeingPrepared = new AsyncLocalStorage<FastifyReply>();

/**
 * Lets RateLimiter.report find the reply of the request it is called for, so a service that
 * counts a limit (login, token) reports it without taking a reply or a callback. A preHandler hook:
 * it runs after the body is read (an earlier hook would lose the context to the body's stream
 * events) and before the guards, interceptors and handler, which all run inside it.
 */
export function reportRateLimitsOnResponses(fastify: FastifyInstance): void {
  fastify.addHook('preHandler', (_request, reply, done) => responseBeingPrepared.run(reply, done));
}

export function reportToCurrentResponse(states: RateLimitState[]): void {
  const reply = responseBeingPrepared.getStore();
  if (reply) writeRateLimitFields(reply, states);
}
