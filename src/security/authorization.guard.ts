import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from '../common/http/problem.exception';
import { REQUIRED_ROLE, REQUIRED_SCOPES } from './access.decorators';
import type { Principal } from './principal';
import type { UserRole } from './roles';
import { PerRoute } from './route-metadata';
import type { Scope } from './scopes';

/**
 * Function-level authorization (OWASP API5): after authentication, the caller must hold the
 * route's role and scopes, else 403. Public routes carry neither and pass.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  private readonly required = new PerRoute((targets) => ({
    role: this.reflector.getAllAndOverride<UserRole | undefined>(REQUIRED_ROLE, targets),
    scopes: this.reflector.getAllAndOverride<Scope[] | undefined>(REQUIRED_SCOPES, targets) ?? [],
  }));

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const { role, scopes } = this.required.of(context);
    if (!role && scopes.length === 0) return true;
    const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
    if (!principal || (role && !hasRole(principal, role)) || !scopes.every((scope) => principal.scopes.has(scope))) {
      throw new ProblemException(403, 'You are not allowed to do this');
    }
    return true;
  }
}

export function hasRole(principal: Principal, role: UserRole): boolean {
  // An API key acts for its user but never carries the user's role (docs/http-contract.md, Roles and scopes).
  return principal.kind === 'user' && principal.keyId === undefined && principal.role === role;
}

/** Admins, and service clients (machine principals), see every user's objects; others their own. */
export function seesEveryone(principal: Principal): boolean {
  return principal.kind === 'client' || hasRole(principal, 'admin');
}
