import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** An incoming X-Request-Id is echoed only when it is short and harmless in logs and headers. */
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify's `genReqId`: echo a well-formed `X-Request-Id`, else make a new UUID (API.md).
 * Also set on the raw request, where pino-http looks for it, so every log line carries it.
 */
export function requestIdFor(request: IncomingMessage & { id?: unknown }): string {
  const incoming = request.headers['x-request-id'];
  const id = typeof incoming === 'string' && WELL_FORMED_REQUEST_ID.test(incoming) ? incoming : randomUUID();
  request.id = id;
  return id;
}
