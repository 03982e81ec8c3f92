import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException } from '../common/http/problem.exception';
import { IS_PUBLIC } from './public.decorator';

/**
 * Deny by default: every route needs a credential unless it is marked `@Public()`.
 * Until the authentication strategies land, no credential is accepted, so every
 * non-public route answers 401 (never open).
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;
    throw new ProblemException(401, 'Authentication required', { 'WWW-Authenticate': 'Bearer realm="orders-api"' });
  }
}
