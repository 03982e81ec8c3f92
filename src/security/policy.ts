import { applyDecorators, SetMetadata, Type } from '@nestjs/common';
import { ApiProblem } from '../common/openapi/api-problems.decorator';
import type { Principal } from './principal';

/**
 * Object-level authorization (OWASP API1, BOLA), declared on the route. A policy is an injectable
 * class of its feature, provided by the feature's module, which gets its repository by constructor
 * injection; each of its rules (methods) loads the object named by the route's `:id` *as this
 * principal may see it*: ownership is part of the lookup, so "not yours" and "does not exist" are the
 * same `null`, and the guard answers both with 404.
 */
export type PolicyRule<T = unknown> = (principal: Principal, id: string) => Promise<T | null>;

/** A policy class. Its static `notFound` is what the 404 says, e.g. "Order not found". */
export interface PolicyClass<P = unknown> extends Type<P> {
  readonly notFound: string;
}

/** The names of a policy's rules: its methods of the PolicyRule shape. */
export type RuleOf<P> = { [K in keyof P]: P[K] extends PolicyRule ? K : never }[keyof P] & string;

/** What a route declares: which policy, and which of its rules. */
export interface RoutePolicy {
  policy: PolicyClass;
  rule: string;
}

export const RESOURCE_POLICY = 'security:resourcePolicy';

/** `@Policy(OrderPolicy, 'cancel')`. Also tells the OpenAPI document about the 404, which stands for "not there" and "not yours" alike. */
export const Policy = <P>(policy: PolicyClass<P>, rule: RuleOf<P>): MethodDecorator =>
  applyDecorators(
    SetMetadata(RESOURCE_POLICY, { policy, rule } satisfies RoutePolicy),
    ApiProblem(404, `${policy.notFound}: it does not exist, or it is not yours`),
  );

/** Where the policy guard leaves the loaded object, for the handler to use (loaded once). */
declare module 'fastify' {
  interface FastifyRequest {
    resource?: unknown;
  }
}
