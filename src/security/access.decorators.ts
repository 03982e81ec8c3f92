import { SetMetadata } from '@nestjs/common';
import type { UserRole } from '../users/user.entity';
import type { Scope } from './principal';

export const REQUIRED_ROLE = 'security:requiredRole';
export const REQUIRED_SCOPES = 'security:requiredScopes';

/**
 * The route needs this role. `admin` is carried only by a user's own access token: an API key or a
 * service client never reaches an admin route, whatever its scopes (API.md; OWASP API5, BFLA).
 */
export const Roles = (role: UserRole): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLE, role);

/** The route needs every one of these scopes in the caller's (already intersected) scope set. */
export const Scopes = (...scopes: Scope[]): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_SCOPES, scopes);
