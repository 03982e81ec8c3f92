import type { Scope } from '../security/scopes';

/**
 * RFC 6749 §3.3: `scope` is space-separated; absent means every scope the client holds. Any scope
 * the client does not hold (or a malformed list) refuses the whole request, rather than quietly
 * granting less than was asked for.
 */
export function requestedScopes(requested: string | undefined, allowed: readonly Scope[]): Scope[] | undefined {
  if (requested === undefined) return [...allowed];
  const scopes = [...new Set(requested.split(' '))];
  return scopes.every((scope) => (allowed as readonly string[]).includes(scope)) ? (scopes as Scope[]) : undefined;
}
