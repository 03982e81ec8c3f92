import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor.decorator';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { ProblemException } from '../common/http/problem.exception';
import { AppConfig } from '../config/app-config';
import { Scope, SCOPES_BY_ROLE } from '../security/scopes';
import { invalidCredentials } from '../security/security-problems';
import { User } from '../users/user.entity';
import { ApiKeyEnvironment, generateApiKey } from './api-key-format';
import { activeAt, ApiKeyOwner, CLIENT_KEY_OWNERS, ClientKeyOwners, isActive, keyEnvironment, MAX_ACTIVE_KEYS, ownedBy, ownerOf } from './api-key-owner';
import { ApiKey } from './api-key.entity';

export interface NewApiKeyInput {
  name: string;
  /** Default: every scope the owner holds. */
  scopes?: Scope[];
  expiresInDays?: number;
}

/** A key just made: the plaintext `key` goes into the 201 and is never seen again. */
export interface CreatedApiKey {
  apiKey: ApiKey;
  key: string;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Making, listing, rotating and revoking API keys, for users and for service clients alike. Every
 * change writes its audit event in the same transaction (`actor`: whoever asked, the user or an admin).
 */
@Injectable()
export class ApiKeysService {
  private readonly environment: ApiKeyEnvironment;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(CLIENT_KEY_OWNERS) private readonly clients: ClientKeyOwners,
    config: AppConfig,
  ) {
    this.environment = keyEnvironment(config);
  }

  /**
   * `tokenGeneration`: when a user makes their own key, the generation of the token they made the
   * request with. Checked under the owner's row lock, so a key asked for with a token that a password
   * change or suspension revoked meanwhile is never made (it would outlive the revocation).
   */
  async create(owner: ApiKeyOwner, input: NewApiKeyInput, actor: AuditActor, tokenGeneration?: number): Promise<CreatedApiKey> {
    return this.dataSource.transaction(async (manager) => {
      const ownerScopes = await lockOwner(manager, owner, this.clients, tokenGeneration);
      const scopes = input.scopes ?? [...ownerScopes];
      // docs/http-contract.md: a key carries a subset of its owner's scopes, never more.
      if (!scopes.every((scope) => ownerScopes.includes(scope))) {
        throw new ProblemException(400, 'Request validation failed', {}, [{ field: 'scopes', message: 'scopes must be a subset of the owner’s scopes' }]);
      }
      const now = this.clock.now();
      await assertFreeSlot(manager, owner, now);
      const expiresAt = input.expiresInDays === undefined ? null : new Date(now.getTime() + input.expiresInDays * DAY_MS);
      const created = await this.insert(manager, owner, { name: input.name, scopes, expiresAt });
      await this.record(manager, 'api_key.create', created.apiKey.id, actor);
      return created;
    });
  }

  list(userId: string, page: { limit: number; offset: number }): Promise<[ApiKey[], number]> {
    return this.dataSource.manager.findAndCount(ApiKey, { where: { userId }, order: { createdAt: 'DESC', id: 'ASC' }, take: page.limit, skip: page.offset });
  }

  /** One of the user's own keys, in any state; another user's key is the same as none (404). */
  findOwn(userId: string, id: string): Promise<ApiKey | null> {
    return this.dataSource.manager.findOneBy(ApiKey, { id, userId });
  }

  /**
   * A new key with the same name and scopes (and, if the old one had an expiry, the same lifetime
   * from now); the old key now expires at the end of the grace period, so both work meanwhile.
   */
  async rotate(key: ApiKey, graceHours: number, actor: AuditActor): Promise<CreatedApiKey> {
    return this.dataSource.transaction(async (manager) => {
      const owner = ownerOf(key);
      await lockOwner(manager, owner, this.clients);
      // Read again under the owner's lock: a concurrent revoke or rotate may have changed it.
      const current = await manager.findOneByOrFail(ApiKey, { id: key.id });
      const now = this.clock.now();
      if (!isActive(current, now)) throw new ProblemException(409, 'Only an active key can be rotated');
      const graceEnd = new Date(now.getTime() + graceHours * HOUR_MS);
      // The old key's end first, so the slot check sees the keys as the rotation leaves them: with
      // no grace period the old key no longer counts. A 409 below rolls this back.
      await manager.update(ApiKey, { id: current.id }, { expiresAt: current.expiresAt && current.expiresAt < graceEnd ? current.expiresAt : graceEnd });
      await assertFreeSlot(manager, owner, now);
      const lifetimeDays = current.expiresAt && Math.round((current.expiresAt.getTime() - current.createdAt.getTime()) / DAY_MS);
      const expiresAt = lifetimeDays ? new Date(now.getTime() + lifetimeDays * DAY_MS) : null;
      const created = await this.insert(manager, owner, { name: current.name, scopes: current.scopes, expiresAt });
      await this.record(manager, 'api_key.rotate', current.id, actor);
      return created;
    });
  }

  /** Revokes at once (idempotent: revoking a revoked key keeps its first revocation time). */
  async revoke(key: ApiKey, actor: AuditActor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.update(ApiKey, { id: key.id, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
      await this.record(manager, 'api_key.revoke', key.id, actor);
    });
  }

  /**
   * Revokes every key of an owner: when a user's password changes or they are suspended (see
   * SessionsService.revokeAllForUser), or when a service client is deleted. Pass the caller's
   * `manager` so it commits with the change that caused it.
   */
  async revokeAllOf(owner: ApiKeyOwner, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.update(ApiKey, { ...ownedBy(owner), revokedAt: IsNull() }, { revokedAt: this.clock.now() });
  }

  private async insert(manager: EntityManager, owner: ApiKeyOwner, fields: Pick<ApiKey, 'name' | 'scopes' | 'expiresAt'>): Promise<CreatedApiKey> {
    const generated = generateApiKey(owner.kind === 'user' ? 'user' : 'service', this.environment);
    const apiKey = await manager.save(
      manager.create(ApiKey, { ...ownedBy(owner), ...fields, keyHash: generated.hash, prefix: generated.prefix, last4: generated.last4, lastUsedAt: null, revokedAt: null }),
    );
    return { apiKey, key: generated.key };
  }

  private record(manager: EntityManager, action: string, keyId: string, actor: AuditActor): Promise<void> {
    return this.audit.record({ ...actor, action, targetType: 'api_key', targetId: keyId, outcome: 'success' }, manager);
  }
}

/**
 * Locks the owner's row for the rest of the transaction and returns the scopes it holds. The lock
 * serializes key changes per owner, so two concurrent requests cannot both take the last free slot.
 */
async function lockOwner(manager: EntityManager, owner: ApiKeyOwner, clients: ClientKeyOwners, tokenGeneration?: number): Promise<readonly Scope[]> {
  const lock = { mode: 'pessimistic_write' } as const;
  if (owner.kind === 'user') {
    const user = await manager.findOne(User, { where: { id: owner.id, status: 'active' }, lock });
    if (user && tokenGeneration !== undefined && user.tokenGeneration !== tokenGeneration) throw invalidCredentials(true);
    if (user) return SCOPES_BY_ROLE[user.role];
  } else {
    const client = await clients.lockActive(manager, owner.id);
    if (client) return client.scopes;
  }
  throw new ProblemException(404, 'The key owner no longer exists');
}

async function assertFreeSlot(manager: EntityManager, owner: ApiKeyOwner, now: Date): Promise<void> {
  const active = await manager.count(ApiKey, { where: { ...ownedBy(owner), ...activeAt(now) } });
  if (active >= MAX_ACTIVE_KEYS) throw new ProblemException(409, `At most ${MAX_ACTIVE_KEYS} active keys: revoke one first`);
}
