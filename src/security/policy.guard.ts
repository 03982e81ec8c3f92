import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../common/http/problem.exception';
import { paramOf, PolicyClass, PolicyRule, RESOURCE_POLICY, RoutePolicy } from './policy';
import { PerRoute } from './route-metadata';

/** The last guard: runs the route's policy rule and hands the loaded object on. */
@Injectable()
export class PolicyGuard implements CanActivate {
  /** Each policy class's instance, looked up once: Nest made it, with its repository, in its feature's module. */
  private readonly instances = new Map<PolicyClass, Record<string, PolicyRule>>();
  /** Read from the handler only: `@Policy()` decorates a route's method. */
  private readonly policies = new PerRoute(([handler]) => this.reflector.get<RoutePolicy | undefined>(RESOURCE_POLICY, handler));

  constructor(
    private readonly reflector: Reflector,
    private readonly modules: ModuleRef,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const route = this.policies.of(context);
    if (!route) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const param = paramOf(route.policy);
    const id = param.parse((request.params as Record<string, string | undefined>)[param.name] ?? '');
    // Guards run before pipes: check the parameter's shape here so a malformed one is 400, never a DB error.
    if (id === undefined) throw new ProblemException(400, `Validation failed (${param.expected} is expected)`);
    const policy = this.instanceOf(route.policy);
    const resource = request.principal && (await policy[route.rule].call(policy, request.principal, id));
    if (!resource) throw new ProblemException(404, route.policy.notFound);
    request.resource = resource;
    return true;
  }

  /** A class named in route metadata is resolved through the ModuleRef: its provider lives in its feature's module, not here. */
  private instanceOf(policy: PolicyClass): Record<string, PolicyRule> {
    let instance = this.instances.get(policy);
    if (!instance) {
      instance = this.modules.get<Record<string, PolicyRule>>(policy, { strict: false });
      this.instances.set(policy, instance);
    }
    return instance;
  }
}
