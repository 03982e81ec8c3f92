import { applyDecorators, SetMetadata } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { ApiProblem } from '../common/openapi/api-problems.decorator';
import type { Principal } from './principal';

/**
 * Object-level authorization (OWASP API1, BOLA), declared on the route. A policy loads the object
 * named by the route's `:id` *as this principal may see it*: ownership is part of the lookup, so
 * "not yours" and "does not exist" are the same `null`, and the guard answers both with 404.
 */
export interface ResourcePolicy<T = unknown> {
  /** What the 404 says, e.g. "Order not found". */
  notFound: string;
  load(modules: ModuleRef, principal: Principal, id: string): Promise<T | null>;
}

export const RESOURCE_POLICY = 'security:resourcePolicy';

/** Also tells the OpenAPI document about the 404, which stands for "not there" and "not yours" alike. */
export const Policy = (policy: ResourcePolicy): MethodDecorator =>
  applyDecorators(SetMetadata(RESOURCE_POLICY, policy), ApiProblem(404, `${policy.notFound}: it does not exist, or it is not yours`));

/** Where the policy guard leaves the loaded object, for the handler to use (loaded once). */
declare module 'fastify' {
  interface FastifyRequest {
    resource?: unknown;
  }
}
