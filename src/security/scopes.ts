import type { UserRole } from './roles';

export const SCOPES = ['orders:read', 'orders:write', 'orders:fulfil', 'products:write'] as const;
export type Scope = (typeof SCOPES)[number];

/** docs/http-contract.md, Roles and scopes: what each role's access token carries. */
export const SCOPES_BY_ROLE: Readonly<Record<UserRole, readonly Scope[]>> = {
  customer: ['orders:read', 'orders:write'],
  admin: SCOPES,
};

/**
 * The scopes a service client can hold (docs/http-contract.md, Service client admin): never `orders:write`, which
 * places and cancels orders for the person who owns them.
 */
export const CLIENT_SCOPES: readonly Scope[] = ['orders:read', 'orders:fulfil', 'products:write'];

/**
 * What a user may delegate to an app through the authorization code grant (docs/http-contract.md, Delegated
 * authorization): a customer's own scopes, never one the admin role adds, whatever the role of the user.
 */
export const APP_SCOPES: readonly Scope[] = ['orders:read', 'orders:write'];
