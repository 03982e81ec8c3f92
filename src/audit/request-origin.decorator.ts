import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { RequestOrigin } from './audit.service';

/** Where an HTTP request came from: always an IP and a request id. */
export interface HttpOrigin extends RequestOrigin {
  ip: string;
  requestId: string;
}

/**
 * The client IP (from X-Forwarded-For only behind a trusted proxy, see app.factory.ts) and the
 * request id, for audit events and per-IP limits.
 */
export const Origin = createParamDecorator((_data: unknown, context: ExecutionContext): HttpOrigin => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  return { ip: request.ip, requestId: String(request.id) };
});
