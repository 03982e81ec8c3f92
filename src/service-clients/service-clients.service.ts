import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ownerGone } from '../api-keys/api-key-owner';
import { ApiKeysService, CreatedApiKey, NewApiKeyInput } from '../api-keys/api-keys.service';
import type { AuditActor } from '../audit/audit-actor.decorator';
import { AuditService } from '../audit/audit.service';
import { clientRevocationSubject } from '../auth/access-token-claims';
import { Revocations } from '../auth/revocation/revocations';
import { Clock } from '../common/clock';
import { ProblemException } from '../common/http/problem.exception';
import type { Scope } from '../security/scopes';
import { hashClientSecret, newClientId, newClientSecret } from './client-credentials';
import { ServiceClient } from './service-client.entity';
import { ServiceClientsRepository } from './service-clients.repository';

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
    private readonly clients: ServiceClientsRepository,
    private readonly apiKeys: ApiKeysService,
    private readonly revocations: Revocations,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(input: { name: string; scopes: Scope[] }, actor: AuditActor): Promise<CreatedServiceClient> {
    const clientSecret = newClientSecret();
    return this.dataSource.transaction(async (manager) => {
      const client = await this.clients.insert({ ...input, clientId: newClientId(), secretHash: hashClientSecret(clientSecret) }, manager);
      await this.record(manager, 'service_client.create', client.id, actor);
      return { client, clientSecret };
    });
  }

  list(page: { limit: number; offset: number }): Promise<[ServiceClient[], number]> {
    return this.clients.page(page);
  }

  /** A client not deleted, by the public `client_id` a token request names; a deleted one is the same as none. */
  findActiveByClientId(clientId: string): Promise<ServiceClient | null> {
    return this.clients.findActiveByClientId(clientId);
  }

  /** An API key that acts as the client, made under the client's row lock (see ApiKeysService). */
  async createKey(client: ServiceClient, input: NewApiKeyInput, actor: AuditActor): Promise<CreatedApiKey> {
    return this.dataSource.transaction(async (manager) => {
      const locked = await this.clients.lockActive(client.id, manager);
      if (!locked) throw ownerGone();
      return this.apiKeys.createForLockedOwner({ kind: 'client', id: client.id }, locked.scopes, input, actor, manager);
    });
  }

  /** A new secret; the old one keeps working until the grace period ends (0: not at all). */
  async rotateSecret(client: ServiceClient, graceHours: number, actor: AuditActor): Promise<string> {
    const clientSecret = newClientSecret();
    const graceEnd = new Date(this.clock.now().getTime() + graceHours * HOUR_MS);
    await this.dataSource.transaction(async (manager) => {
      // One statement (ServiceClientsRepository.rotateSecret): no secret handed out is lost to a concurrent rotation.
      if (!(await this.clients.rotateSecret(client.id, hashClientSecret(clientSecret), graceEnd, manager)))
        throw new ProblemException(404, 'Service client not found');
      await this.record(manager, 'service_client.rotate_secret', client.id, actor);
    });
    return clientSecret;
  }

  /**
   * Deletes the client: its access tokens, API keys and secrets stop working at once, on every
   * instance. Its token generation moves on in Postgres and then in the shared revocation store, in
   * one transaction (Revocations.advanceGeneration): if the store cannot be written, nothing changes
   * and the admin gets a 503, rather than a deleted client whose tokens still work. A token request
   * that authenticated the client just before signs with the old generation, and is refused as well.
   */
  async delete(client: ServiceClient, actor: AuditActor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.revocations.advanceGeneration(clientRevocationSubject(client.id), () => this.clients.markDeleted(client.id, this.clock.now(), manager));
      await this.apiKeys.revokeAllOf({ kind: 'client', id: client.id }, manager);
      await this.record(manager, 'service_client.delete', client.id, actor);
    });
  }

  private record(manager: EntityManager, action: string, clientId: string, actor: AuditActor): Promise<void> {
    return this.audit.record({ ...actor, action, targetType: 'service_client', targetId: clientId, outcome: 'success' }, manager);
  }
}
