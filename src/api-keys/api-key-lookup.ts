import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SCOPES_BY_ROLE } from '../auth/access-token-claims';
import { Clock } from '../common/clock';
import type { Principal, Scope } from '../security/principal';
import type { UserRole } from '../users/user.entity';
import type { ParsedApiKey } from './api-key-format';

/** A principal that authenticated with an API key: the key's id is always known. */
export type KeyPrincipal = Principal & { keyId: string };

interface KeyRow {
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

@Injectable()
export class ApiKeyLookup {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The principal a well-formed key speaks for, or undefined when it cannot be used. */
  async principalFor(key: ParsedApiKey): Promise<KeyPrincipal | undefined> {
    const [row] = await this.dataSource.query<KeyRow[]>(FIND_USABLE_KEY, [key.hash, this.clock.now()]);
    if (!row) return undefined;
    // docs/http-contract.md: a request with a key can do no more than the owner *and* the key allow, so the key's
    // scopes are cut down to what the owner holds today. Never a role: hasRole() refuses keys anyway.
    if (key.kind === 'user' && row.user_id && row.user_role) {
      return { kind: 'user', id: row.user_id, scopes: within(row.scopes, SCOPES_BY_ROLE[row.user_role]), keyId: row.id };
    }
    if (key.kind === 'service' && row.service_client_id && row.client_scopes) {
      return { kind: 'client', id: row.service_client_id, scopes: within(row.scopes, row.client_scopes), keyId: row.id };
    }
    return undefined;
  }
}

function within(scopes: readonly Scope[], allowed: readonly Scope[]): Set<Scope> {
  return new Set(scopes.filter((scope) => allowed.includes(scope)));
}
