import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { clientAddress } from '../common/http/client-address';
import { RequestOrigin } from './audit.service';

/** Where an HTTP request came from: always an IP and a request id. */
export interface HttpOrigin extends RequestOrigin {
  ip: string;
  requestId: string;
}

/**
 * The client IP (from X-Forwarded-For only behind a trusted proxy, see client-address.ts) and the
 * request id, for audit events and per-IP limits.
 */
export function httpOrigin(request: FastifyRequest): HttpOrigin {
  return { ip: clientAddress(request), requestId: String(request.id) };
}

export const Origin = createParamDecorator((_data: unknown, context: ExecutionContext): HttpOrigin =>
  httpOrigin(context.switchToHttp().getRequest<FastifyRequest>()),
);
