import { EntityManager, FindOptionsWhere, IsNull, MoreThan, Or } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import type { Principal } from '../security/principal';
import type { Scope } from '../security/scopes';
import type { ApiKeyEnvironment } from './api-key-format';
import { ApiKey } from './api-key.entity';

/** Whom a key belongs to and acts for: a user, or a service client. */
export interface ApiKeyOwner {
  kind: Principal['kind'];
  id: string;
}

/**
 * Locks, for the rest of the transaction, a service client that is to own a key, and says which scopes it
 * holds (null: it is deleted). service-clients owns that table and builds on this folder (a client's keys
 * are made and revoked here), so it provides this under CLIENT_KEY_OWNERS (bound in AppModule) instead of
 * api-keys reading its table: the two folders never import each other.
 */
export interface ClientKeyOwners {
  lockActive(manager: EntityManager, clientId: string): Promise<{ scopes: readonly Scope[] } | null>;
}

/** Injection token of the ClientKeyOwners. */
export const CLIENT_KEY_OWNERS = Symbol('CLIENT_KEY_OWNERS');

/** A user or service client may hold this many keys at once: enough to rotate one without downtime. */
export const MAX_ACTIVE_KEYS = 2;

export function ownerOf(key: ApiKey): ApiKeyOwner {
  return key.userId ? { kind: 'user', id: key.userId } : { kind: 'client', id: key.serviceClientId! };
}

/** The owner column to filter by, or to set on a new key. */
export function ownedBy(owner: ApiKeyOwner): { userId: string } | { serviceClientId: string } {
  return owner.kind === 'user' ? { userId: owner.id } : { serviceClientId: owner.id };
}

/** Active: neither revoked nor expired. A rotated key stays active until its grace period ends. */
export function activeAt(now: Date): Pick<FindOptionsWhere<ApiKey>, 'revokedAt' | 'expiresAt'> {
  return { revokedAt: IsNull(), expiresAt: Or(IsNull(), MoreThan(now)) };
}

export function isActive(key: ApiKey, now: Date): boolean {
  return key.revokedAt === null && (key.expiresAt === null || key.expiresAt > now);
}

/** `live` keys in production, `test` keys elsewhere (docs/http-contract.md): a key made in a test setup never works in production. */
export function keyEnvironment(config: AppConfig): ApiKeyEnvironment {
  return config.isProduction ? 'live' : 'test';
}
