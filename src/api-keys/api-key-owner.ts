import { FindOptionsWhere, IsNull, MoreThan, Or } from 'typeorm';
import { ProblemException } from '../common/http/problem.exception';
import type { AppConfig } from '../config/app-config';
import type { Principal } from '../security/principal';
import type { ApiKeyEnvironment } from './api-key-format';
import { ApiKey } from './api-key.entity';

/** Whom a key belongs to and acts for: a user, or a service client. */
export interface ApiKeyOwner {
  kind: Principal['kind'];
  id: string;
}

/** A user or service client may hold this many keys at once: enough to rotate one without downtime. */
export const MAX_ACTIVE_KEYS = 2;

/** The key's owner was deleted or suspended while the request ran: nothing is made in its name. */
export function ownerGone(): ProblemException {
  return new ProblemException(404, 'The key owner no longer exists');
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
