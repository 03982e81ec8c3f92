import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuditActorType, RequestOrigin } from './audit.service';
import { httpOrigin } from './request-origin.decorator';

/** Who did something, and from where: the part of an audit event the request itself supplies. */
export interface AuditActor extends RequestOrigin {
  actorType: AuditActorType;
  actorId: string | null;
}

/** The authenticated caller as an audit actor (anonymous on a public route). */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): AuditActor => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const principal = request.principal;
  return {
    actorType: principal?.kind ?? 'anonymous',
    actorId: principal?.id ?? null,
    ...httpOrigin(request),
  };
});
