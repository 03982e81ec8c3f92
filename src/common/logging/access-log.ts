import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { clientRequestId } from '../http/request-id';

/**
 * What an operator needs of a request, and nothing a client sent beyond it: no headers, and the
 * path without its query string (a credential wrongly sent in a query, which we refuse, must not
 * end up in the logs either). The client's own X-Request-Id only when well-formed (request-id.ts).
 */
function requestFields(request: FastifyRequest): Record<string, unknown> {
  const clientId = clientRequestId(request.raw);
  return {
    req: { id: request.id, method: request.method, path: request.url.split('?')[0], remoteAddress: request.raw.socket.remoteAddress },
    ...(clientId === undefined ? {} : { clientRequestId: clientId }),
  };
}

function logResponse(logger: Logger, request: FastifyRequest, reply: FastifyReply): void {
  const fields = { ...requestFields(request), res: { statusCode: reply.statusCode }, responseTime: Math.round(reply.elapsedTime) };
  // A 5xx is the server's failure: at error level, so it pages; the ProblemFilter logs its cause beside it.
  if (reply.statusCode >= 500) logger.error(fields, 'request errored');
  else logger.info(fields, 'request completed');
}

/**
 * One access-log line per request, written by Fastify hooks once the answer is sent (or the client
 * went away first), from the root logger: no child logger, no bindings, no per-request closure.
 */
export function registerAccessLog(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    logResponse(logger, request, reply);
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    logger.info(requestFields(request), 'request aborted');
    done();
  });
}
