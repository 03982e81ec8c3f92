import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiProblem } from '../common/openapi/api-problems.decorator';
import type { UserRole } from './roles';
import type { Scope } from './scopes';

export const REQUIRED_ROLE = 'security:requiredRole';
export const REQUIRED_SCOPES = 'security:requiredScopes';

/**
 * The route needs this role. `admin` is carried only by a user's own access token: an API key or a
 * service client never reaches an admin route, whatever its scopes (docs/http-contract.md; OWASP API5, BFLA).
 * The OpenAPI document learns the 403 from here, so it cannot forget it.
 */
export const Roles = (role: UserRole): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(REQUIRED_ROLE, role), ApiProblem(403, `Needs the ${role} role, which only a user's own access token carries`));

/** The route needs every one of these scopes in the caller's (already intersected) scope set. */
export const Scopes = (...scopes: Scope[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(REQUIRED_SCOPES, scopes), ApiProblem(403, `Needs the scope ${scopes.join(' and ')}`));
