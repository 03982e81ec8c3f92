import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { ApiKeysService } from '../api-keys/api-keys.service';
import type { AuditActor } from '../audit/audit-actor.decorator';
import { AuditService } from '../audit/audit.service';
import { clientRevocationSubject } from '../auth/access-token-claims';
import { Revocations } from '../auth/revocation/revocations';
import { Clock } from '../common/clock';
import { ProblemException } from '../common/http/problem.exception';
import type { Scope } from '../security/principal';
import { failClosed } from '../security/security-problems';
import { hashClientSecret, newClientId, newClientSecret } from './client-credentials';
import { ServiceClient } from './service-client.entity';

const HOUR_MS = 3_600_000;

/** A client just made: the plaintext `clientSecret` goes into the 201 and is never seen again. */
export interface CreatedServiceClient {
  client: ServiceClient;
  clientSecret: string;
}

/** The admin side of service clients (docs/http-contract.md, Service client admin). Every change is audited. */
@Injectable()
export class ServiceClientsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly apiKeys: ApiKeysService,
    private readonly revocations: Revocations,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(input: { name: string; scopes: Scope[] }, actor: AuditActor): Promise<CreatedServiceClient> {
    const clientSecret = newClientSecret();
    return this.dataSource.transaction(async (manager) => {
      const client = await manager.save(
        manager.create(ServiceClient, { ...input, clientId: newClientId(), secretHash: hashClientSecret(clientSecret), previousSecretHash: null, previousSecretExpiresAt: null, deletedAt: null }),
      );
      await this.record(manager, 'service_client.create', client.id, actor);
      return { client, clientSecret };
    });
  }

  list(page: { limit: number; offset: number }): Promise<[ServiceClient[], number]> {
    return this.dataSource.manager.findAndCount(ServiceClient, { where: { deletedAt: IsNull() }, order: { createdAt: 'DESC', id: 'ASC' }, take: page.limit, skip: page.offset });
  }

  /** A client that has not been deleted, by id; a deleted one is the same as none (404). */
  findActive(id: string): Promise<ServiceClient | null> {
    return this.dataSource.manager.findOneBy(ServiceClient, { id, deletedAt: IsNull() });
  }

  /** The same, by the public `client_id` a token request names. */
  findActiveByClientId(clientId: string): Promise<ServiceClient | null> {
    return this.dataSource.manager.findOneBy(ServiceClient, { clientId, deletedAt: IsNull() });
  }

  /** A new secret; the old one keeps working until the grace period ends (0: not at all). */
  async rotateSecret(client: ServiceClient, graceHours: number, actor: AuditActor): Promise<string> {
    const clientSecret = newClientSecret();
    const graceEnd = new Date(this.clock.now().getTime() + graceHours * HOUR_MS);
    await this.dataSource.transaction(async (manager) => {
      // One statement moves the current hash to `previous`: of two concurrent rotations, the second
      // sees the first's secret as the current one, so no secret handed out is lost in between.
      const result = await manager
        .createQueryBuilder()
        .update(ServiceClient)
        .set({ previousSecretHash: () => 'secret_hash', secretHash: hashClientSecret(clientSecret), previousSecretExpiresAt: graceEnd })
        .where('id = :id AND deleted_at IS NULL', { id: client.id })
        .execute();
      if (result.affected === 0) throw new ProblemException(404, 'Service client not found');
      await this.record(manager, 'service_client.rotate_secret', client.id, actor);
    });
    return clientSecret;
  }

  /**
   * Deletes the client: its access tokens, API keys and secrets stop working at once, on every
   * instance. Its token generation moves on in Postgres and then in the shared revocation store, in
   * one transaction (as SessionsService.revokeAllForUser does): if the store cannot be written,
   * nothing changes and the admin gets a 503, rather than a deleted client whose tokens still work.
   * A token request that authenticated the client just before signs with the old generation, and
   * is refused as well.
   */
  async delete(client: ServiceClient, actor: AuditActor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const update = await manager
        .createQueryBuilder()
        .update(ServiceClient)
        .set({ deletedAt: this.clock.now(), tokenGeneration: () => 'token_generation + 1' })
        .where('id = :id', { id: client.id })
        .returning('token_generation AS generation, extract(epoch FROM deleted_at)::int AS revoked_at')
        .execute();
      const [moved] = update.raw as Array<{ generation: number; revoked_at: number }>;
      await failClosed(() => this.revocations.revokeGenerations({ subject: clientRevocationSubject(client.id), generation: moved.generation, revokedAt: moved.revoked_at }));
      await this.apiKeys.revokeAllOf({ kind: 'client', id: client.id }, manager);
      await this.record(manager, 'service_client.delete', client.id, actor);
    });
  }

  private record(manager: EntityManager, action: string, clientId: string, actor: AuditActor): Promise<void> {
    return this.audit.record({ ...actor, action, targetType: 'service_client', targetId: clientId, outcome: 'success' }, manager);
  }
}
