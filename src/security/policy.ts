import { applyDecorators, SetMetadata, Type } from '@nestjs/common';
import type { SchemaObject } from '@nestjs/swagger';
import { ApiPathParam } from '../common/openapi/api-path-param.decorator';
import { ApiProblem } from '../common/openapi/api-problems.decorator';
import { UUID_LENGTH } from '../common/openapi/schema-bounds';
import { UUID } from '../common/uuid';
import type { Principal } from './principal';

/**
 * Object-level authorization (OWASP API1, BOLA), declared on the route. A policy is an injectable
 * class of its feature, provided by the feature's module, which gets its repository by constructor
 * injection; each of its rules (methods) loads the object named by the route's parameter (`:id`,
 * unless the policy declares another) *as this principal may see it*: ownership is part of the
 * lookup, so "not yours" and "does not exist" are the same `null`, and the guard answers both with 404.
 */
export type PolicyRule<T = unknown> = (principal: Principal, id: string) => Promise<T | null>;

/**
 * The path parameter a policy's rules take, and its shape. The guard checks it before any lookup, so a malformed
 * value is 400, never a database error (docs/http-contract.md, General rules); the document declares its schema.
 */
export interface PolicyParam {
  /** The route's `:name`. */
  name: string;
  /** What a well-formed value is, as the 400 says it: `Validation failed (<expected> is expected)`. */
  expected: string;
  /** The value the rule is given, or undefined when `raw` is malformed. */
  parse(raw: string): string | undefined;
  /** Its OpenAPI schema, bounded (OWASP API4). */
  schema: SchemaObject;
}

/** What a policy takes unless it says otherwise: `:id`, a UUID. */
export const UUID_PARAM: PolicyParam = {
  name: 'id',
  expected: 'uuid',
  parse: (raw) => {
    // Lower-cased first: ids are stored as Postgres prints them, and an upper-case UUID names the same one.
    const id = raw.toLowerCase();
    return UUID.test(id) ? id : undefined;
  },
  schema: { type: 'string', format: 'uuid', maxLength: UUID_LENGTH },
};

/** A policy class. Its static `notFound` is what the 404 says, e.g. "Order not found"; its static `param`, what it takes (default UUID_PARAM). */
export interface PolicyClass<P = unknown> extends Type<P> {
  readonly notFound: string;
  readonly param?: PolicyParam;
}

export const paramOf = (policy: PolicyClass): PolicyParam => policy.param ?? UUID_PARAM;

/** The names of a policy's rules: its methods of the PolicyRule shape. */
export type RuleOf<P> = { [K in keyof P]: P[K] extends PolicyRule ? K : never }[keyof P] & string;

/** What a route declares: which policy, and which of its rules. */
export interface RoutePolicy {
  policy: PolicyClass;
  rule: string;
}

export const RESOURCE_POLICY = 'security:resourcePolicy';

/**
 * `@Policy(OrderPolicy, 'cancel')`. Also tells the OpenAPI document about the 404, which stands for "not there" and
 * "not yours" alike, and about the parameter's shape.
 */
export const Policy = <P>(policy: PolicyClass<P>, rule: RuleOf<P>): MethodDecorator =>
  applyDecorators(
    SetMetadata(RESOURCE_POLICY, { policy, rule } satisfies RoutePolicy),
    ApiProblem(404, `${policy.notFound}: it does not exist, or it is not yours`),
    ApiPathParam(paramOf(policy).name, paramOf(policy).schema),
  );

/** Where the policy guard leaves the loaded object, for the handler to use (loaded once). */
declare module 'fastify' {
  interface FastifyRequest {
    resource?: unknown;
  }
}
