import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A client's own X-Request-Id is kept only when it is short and harmless in logs. */
const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Fastify's `genReqId`: always a new UUID of the server's own, whatever the client sent. This id
 * ties the response (X-Request-Id, a problem's `requestId`), the log lines and the audit events of
 * one request together, so a client must not choose it: it could name another user's request.
 */
export function newRequestId(): string {
  return randomUUID();
}

/**
 * The client's own X-Request-Id, when well-formed, for the logs to record beside the server's id
 * (as `clientRequestId`), so a client's trace can still be followed. Anything else is dropped.
 */
export function clientRequestId(request: IncomingMessage): string | undefined {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && WELL_FORMED_REQUEST_ID.test(incoming) ? incoming : undefined;
}
