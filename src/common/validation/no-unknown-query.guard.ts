import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { RouteParamtypes } from '@nestjs/common/internal';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../http/problem.exception';

/**
 * docs/http-contract.md: unknown query parameters are `400`. Routes with a `@Query()` DTO get that from the
 * ValidationPipe (forbidNonWhitelisted); this covers the routes that take no query at all. A guard, the
 * last one (AppModule), rather than an interceptor: a single interceptor puts every request of the
 * app through an RxJS pipeline, a tenth of a bare request's CPU (bench, scenario 1).
 */
@Injectable()
export class NoUnknownQueryGuard implements CanActivate {
  private readonly takesQuery = new WeakMap<object, boolean>();

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const query = request.query as Record<string, unknown> | undefined;
    if (query && Object.keys(query).length > 0 && !this.handlerTakesQuery(context)) {
      throw new ProblemException(400, 'This route takes no query parameters');
    }
    return true;
  }

  private handlerTakesQuery(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    let known = this.takesQuery.get(handler);
    if (known === undefined) {
      const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) as Record<string, unknown> | undefined) ?? {};
      known = Object.keys(args).some((key) => key.startsWith(`${RouteParamtypes.QUERY}:`));
      this.takesQuery.set(handler, known);
    }
    return known;
  }
}
