import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { clientAddress } from '../common/http/client-address';
import { RequestOrigin } from './audit.service';

/** Where an HTTP request came from: always an IP and a request id. */
export interface HttpOrigin extends RequestOrigin {
  ip: string;
  requestId: string;
  /** The User-Agent, cut to 256 characters; only the session list and sign-in notices use it. */
  userAgent?: string;
}

/**
 * The client IP (from X-Forwarded-For only behind a trusted proxy, see client-address.ts) and the
 * request id, for audit events and per-IP limits.
 */
export function httpOrigin(request: FastifyRequest): HttpOrigin {
  const userAgent = request.headers['user-agent'];
  return { ip: clientAddress(request), requestId: String(request.id), ...(userAgent && { userAgent: userAgent.slice(0, 256) }) };
}

export const Origin = createParamDecorator((_data: unknown, context: ExecutionContext): HttpOrigin =>
  httpOrigin(context.switchToHttp().getRequest<FastifyRequest>()),
);
