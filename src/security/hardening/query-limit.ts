import type { FastifyInstance } from 'fastify';
import { ProblemException } from '../../common/http/problem.exception';

/** No route takes more than a handful of query parameters; 20 leaves room and bounds the work. */
export const MAX_QUERY_PARAMETERS = 20;

/**
 * OWASP API4 (unrestricted resource consumption): more than 20 query parameters is 400 before any
 * validation or handler runs. Repeats count (`?a=1&a=2` is two). Parsing them first is bounded:
 * Node refuses a request line and headers over 16 KiB.
 */
export function registerQueryParameterLimit(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const tooMany = countParameters(request.query as Record<string, unknown>) > MAX_QUERY_PARAMETERS;
    done(tooMany ? new ProblemException(400, `At most ${MAX_QUERY_PARAMETERS} query parameters are allowed`) : undefined);
  });
}

function countParameters(query: Record<string, unknown>): number {
  let count = 0;
  for (const value of Object.values(query)) count += Array.isArray(value) ? value.length : 1;
  return count;
}
