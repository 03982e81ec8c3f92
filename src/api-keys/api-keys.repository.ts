import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { UserRole } from '../security/roles';
import type { Scope } from '../security/scopes';
import { activeAt, ApiKeyOwner, ownedBy } from './api-key-owner';
import { ApiKey } from './api-key.entity';

/** A usable key as the per-request lookup reads it, with what its owner holds today. */
export interface UsableKeyRow {
  id: string;
  scopes: Scope[];
  user_id: string | null;
  user_role: UserRole | null;
  service_client_id: string | null;
  client_scopes: Scope[] | null;
}

/**
 * One indexed query per request: the key by its hash, if neither revoked nor expired, with its
 * owner only while the owner may still act (a user who is active, a client not deleted). Nothing is
 * cached, so a revocation, a suspension or a deletion holds from the next request on every instance.
 */
const FIND_USABLE_KEY = `
  SELECT k.id, k.scopes, k.user_id, u.role AS user_role, k.service_client_id, c.scopes AS client_scopes
  FROM api_keys k
  LEFT JOIN users u ON u.id = k.user_id AND u.status = 'active'
  LEFT JOIN service_clients c ON c.id = k.service_client_id AND c.deleted_at IS NULL
  WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > $2)`;

/**
 * One statement, two writes (Postgres runs every data-modifying WITH clause, read or not):
 * - `last_used_at` moves only when it is over a minute old, so a busy key is written once a
 *   minute, not on every request;
 * - the (key, IP) pair is inserted unless already known: a row comes back only for a new address.
 */
const RECORD_USE = `
  WITH touched AS (
    UPDATE api_keys SET last_used_at = $3
    WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3::timestamptz - interval '1 minute')
  ), seen AS (
    INSERT INTO api_key_ips (key_id, ip) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING key_id
  )
  SELECT EXISTS (SELECT 1 FROM seen) AS new_ip`;

/**
 * The one owner of the `api_keys` table and of `api_key_ips`, the addresses each key was used
 * from. TypeORM's API with entity property names, except the two statements on every keyed request,
 * which are raw SQL naming columns: one joined lookup, and one statement for both usage writes.
 */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findUsable(keyHash: string, now: Date): Promise<UsableKeyRow | undefined> {
    const [row] = await this.dataSource.query<UsableKeyRow[]>(FIND_USABLE_KEY, [keyHash, now]);
    return row;
  }

  /** Records a use of the key from `ip`; true when the key had never been used from that address. */
  async recordUse(keyId: string, ip: string, at: Date): Promise<boolean> {
    const [{ new_ip: newIp }] = await this.dataSource.query<Array<{ new_ip: boolean }>>(RECORD_USE, [keyId, ip, at]);
    return newIp;
  }

  /** A page of one user's keys, newest first. */
  page(userId: string, page: { limit: number; offset: number }): Promise<[ApiKey[], number]> {
    return this.dataSource.manager.findAndCount(ApiKey, { where: { userId }, order: { createdAt: 'DESC', id: 'ASC' }, take: page.limit, skip: page.offset });
  }

  /** One of the user's own keys, in any state; another user's key is the same as none. */
  findOwn(userId: string, id: string): Promise<ApiKey | null> {
    return this.dataSource.manager.findOneBy(ApiKey, { id, userId });
  }

  get(id: string, manager: EntityManager): Promise<ApiKey> {
    return manager.findOneByOrFail(ApiKey, { id });
  }

  countActive(owner: ApiKeyOwner, now: Date, manager: EntityManager): Promise<number> {
    return manager.count(ApiKey, { where: { ...ownedBy(owner), ...activeAt(now) } });
  }

  insert(row: Pick<ApiKey, 'name' | 'scopes' | 'expiresAt' | 'keyHash' | 'prefix' | 'last4'>, owner: ApiKeyOwner, manager: EntityManager): Promise<ApiKey> {
    return manager.save(manager.create(ApiKey, { ...ownedBy(owner), ...row, lastUsedAt: null, revokedAt: null }));
  }

  async setExpiry(id: string, expiresAt: Date, manager: EntityManager): Promise<void> {
    await manager.update(ApiKey, { id }, { expiresAt });
  }

  /** Idempotent: a revoked key keeps its first revocation time. */
  async revoke(id: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.update(ApiKey, { id, revokedAt: IsNull() }, { revokedAt: at });
  }

  async revokeAllOf(owner: ApiKeyOwner, at: Date, manager: EntityManager): Promise<void> {
    await manager.update(ApiKey, { ...ownedBy(owner), revokedAt: IsNull() }, { revokedAt: at });
  }
}
