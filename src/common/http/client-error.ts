import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, ProblemBody, problemTitle } from './problem';

/** What Node's HTTP parser reports, by error code, as the status and detail of its answer. */
const CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request took too long to arrive' },
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request line and headers are larger than 16 KiB' },
};
const MALFORMED = { status: 400, detail: 'The request is not well-formed HTTP' };

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP server answers itself, before there is a request
 * for Fastify and Nest to handle (a request or headers timeout, headers too large, bytes that are not
 * HTTP), as a problem like every other error instead of Fastify's own JSON. There is no request, so
 * no `instance`; the request id is a new one, in the body and in X-Request-Id. The connection is then
 * closed: what the client sends next on it cannot be trusted to start a new request.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // A connection the client reset has nobody left to answer (Node's documentation for 'clientError').
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, detail } = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED;
  const requestId = randomUUID();
  const body: ProblemBody = { type: 'about:blank', title: problemTitle(status), status, detail, requestId };
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${problemTitle(status)}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}
