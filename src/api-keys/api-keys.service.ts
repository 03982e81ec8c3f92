import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditActor } from '../audit/audit-actor.decorator';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { ProblemException } from '../common/http/problem.exception';
import { AppConfig } from '../config/app-config';
import { Scope, SCOPES_BY_ROLE } from '../security/scopes';
import { invalidCredentials } from '../security/security-problems';
import { UsersRepository } from '../users/users.repository';
import { ApiKeyEnvironment, generateApiKey } from './api-key-format';
import { ApiKeyOwner, isActive, keyEnvironment, MAX_ACTIVE_KEYS, ownerGone } from './api-key-owner';
import { ApiKey } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';

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
 *
 * Key changes are serialized per owner by the owner's row lock, taken first in the transaction: two
 * concurrent requests then cannot both take the last free slot. A user's row is locked here; a
 * service client's by ServiceClientsService, which owns that table.
 */
@Injectable()
export class ApiKeysService {
  private readonly environment: ApiKeyEnvironment;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: ApiKeysRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.environment = keyEnvironment(config);
  }

  /**
   * A user's own key. `tokenGeneration`: the generation of the token the user made the request
   * with. Checked under the user's row lock, so a key asked for with a token that a password change
   * or suspension revoked meanwhile is never made (it would outlive the revocation).
   */
  async createForUser(userId: string, input: NewApiKeyInput, actor: AuditActor, tokenGeneration?: number): Promise<CreatedApiKey> {
    return this.dataSource.transaction(async (manager) => {
      const ownerScopes = await this.lockUser(userId, manager, tokenGeneration);
      return this.createForLockedOwner({ kind: 'user', id: userId }, ownerScopes, input, actor, manager);
    });
  }

  /** A key for an owner whose row the caller's transaction (`manager`) holds locked, with the scopes it holds now. */
  async createForLockedOwner(
    owner: ApiKeyOwner,
    ownerScopes: readonly Scope[],
    input: NewApiKeyInput,
    actor: AuditActor,
    manager: EntityManager,
  ): Promise<CreatedApiKey> {
    const scopes = input.scopes ?? [...ownerScopes];
    // docs/http-contract.md: a key carries a subset of its owner's scopes, never more.
    if (!scopes.every((scope) => ownerScopes.includes(scope))) {
      throw new ProblemException(400, 'Request validation failed', {}, [{ field: 'scopes', message: 'scopes must be a subset of the owner’s scopes' }]);
    }
    const now = this.clock.now();
    await this.assertFreeSlot(manager, owner, now);
    const expiresAt = input.expiresInDays === undefined ? null : new Date(now.getTime() + input.expiresInDays * DAY_MS);
    const created = await this.insert(manager, owner, { name: input.name, scopes, expiresAt });
    await this.record(manager, 'api_key.create', created.apiKey.id, actor);
    return created;
  }

  list(userId: string, page: { limit: number; offset: number }): Promise<[ApiKey[], number]> {
    return this.keys.page(userId, page);
  }

  /**
   * A new key with the same name and scopes (and, if the old one had an expiry, the same lifetime
   * from now); the old key now expires at the end of the grace period, so both work meanwhile. Only a
   * user's own key is rotated (ApiKeyPolicy loads no other); a service client gets a new key instead.
   */
  async rotate(key: ApiKey, graceHours: number, actor: AuditActor): Promise<CreatedApiKey> {
    // Never a lookup by an undefined id: TypeORM would drop the condition and lock some other row.
    if (!key.userId) throw new Error('Only a user’s key can be rotated');
    const owner: ApiKeyOwner = { kind: 'user', id: key.userId };
    return this.dataSource.transaction(async (manager) => {
      await this.lockUser(owner.id, manager);
      // Read again under the owner's lock: a concurrent revoke or rotate may have changed it.
      const current = await this.keys.get(key.id, manager);
      const now = this.clock.now();
      if (!isActive(current, now)) throw new ProblemException(409, 'Only an active key can be rotated');
      const graceEnd = new Date(now.getTime() + graceHours * HOUR_MS);
      // The old key's end first, so the slot check sees the keys as the rotation leaves them: with
      // no grace period the old key no longer counts. A 409 below rolls this back.
      await this.keys.setExpiry(current.id, current.expiresAt && current.expiresAt < graceEnd ? current.expiresAt : graceEnd, manager);
      await this.assertFreeSlot(manager, owner, now);
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
      await this.keys.revoke(key.id, this.clock.now(), manager);
      await this.record(manager, 'api_key.revoke', key.id, actor);
    });
  }

  /**
   * Revokes one key of one user (an admin's lever, audited with the admin as actor). A key of
   * another user or of a service client is the same 404 as none: the pair must match.
   */
  async revokeOwn(userId: string, keyId: string, actor: AuditActor): Promise<void> {
    const key = await this.keys.findOwn(userId, keyId);
    if (!key) throw new ProblemException(404, 'API key not found');
    await this.revoke(key, actor);
  }

  /**
   * Revokes every key of an owner: when a user's password changes or they are suspended (see
   * SessionsService.revokeAllForUser), or when a service client is deleted. Pass the caller's
   * `manager` so it commits with the change that caused it.
   */
  async revokeAllOf(owner: ApiKeyOwner, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await this.keys.revokeAllOf(owner, this.clock.now(), manager);
  }

  /** Locks the user's row for the rest of the transaction and returns the scopes their role holds. */
  private async lockUser(userId: string, manager: EntityManager, tokenGeneration?: number): Promise<readonly Scope[]> {
    const user = await this.users.lockActive(userId, manager);
    if (!user) throw ownerGone();
    if (tokenGeneration !== undefined && user.tokenGeneration !== tokenGeneration) throw invalidCredentials(true);
    return SCOPES_BY_ROLE[user.role];
  }

  private async assertFreeSlot(manager: EntityManager, owner: ApiKeyOwner, now: Date): Promise<void> {
    const active = await this.keys.countActive(owner, now, manager);
    if (active >= MAX_ACTIVE_KEYS) throw new ProblemException(409, `At most ${MAX_ACTIVE_KEYS} active keys: revoke one first`);
  }

  private async insert(manager: EntityManager, owner: ApiKeyOwner, fields: Pick<ApiKey, 'name' | 'scopes' | 'expiresAt'>): Promise<CreatedApiKey> {
    const generated = generateApiKey(owner.kind === 'user' ? 'user' : 'service', this.environment);
    const apiKey = await this.keys.insert({ ...fields, keyHash: generated.hash, prefix: generated.prefix, last4: generated.last4 }, owner, manager);
    return { apiKey, key: generated.key };
  }

  private record(manager: EntityManager, action: string, keyId: string, actor: AuditActor): Promise<void> {
    return this.audit.record({ ...actor, action, targetType: 'api_key', targetId: keyId, outcome: 'success' }, manager);
  }
}
