import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Principal } from './principal';

/**
 * The authenticated caller, as the authentication guard left it. On a `@Public()` route there is
 * none: asking for it there is a programming error, not a client error.
 */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  if (!principal) throw new Error('@CurrentPrincipal() used on a route without authentication');
  return principal;
});
