import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../common/http/problem.exception';
import { RESOURCE_POLICY, ResourcePolicy } from './policy';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The last guard: runs the route's ResourcePolicy and hands the loaded object on. */
@Injectable()
export class PolicyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly modules: ModuleRef,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.reflector.get<ResourcePolicy | undefined>(RESOURCE_POLICY, context.getHandler());
    if (!policy) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const id = (request.params as { id?: string }).id ?? '';
    // Guards run before pipes: check the id's shape here so a malformed id is 400, never a DB error.
    if (!UUID.test(id)) throw new ProblemException(400, 'Validation failed (uuid is expected)');
    const resource = request.principal && (await policy.load(this.modules, request.principal, id.toLowerCase()));
    if (!resource) throw new ProblemException(404, policy.notFound);
    request.resource = resource;
    return true;
  }
}
