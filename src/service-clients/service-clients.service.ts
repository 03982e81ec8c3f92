import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ownerGone } from '../api-keys/api-key-owner';
import { ApiKeysService, CreatedApiKey, NewApiKeyInput } from '../api-keys/api-keys.service';
import type { AuditActor } from '../audit/audit-actor.decorator';
import { AuditService } from '../audit/audit.service';
import { clientRevocationSubject } from '../auth/access-token-claims';
import { Revocations } from '../auth/revocation/revocations';
import { SessionsService } from '../auth/sessions.service';
import { Clock } from '../common/clock';
import { ProblemException } from '../common/http/problem.exception';
import { AppConfig } from '../config/app-config';
import type { Scope } from '../security/scopes';
import { hashClientSecret, newAppClientId, newClientId, newClientSecret } from './client-credentials';
import { CreateAppClientDto } from './dto/create-app-client.dto';
import { redirectUriProblem } from './redirect-uri';
import { APP_CLIENT_GRANTS, ClientKind, isAppClient, SERVICE_CLIENT_GRANTS, ServiceClient } from './service-client.entity';
import { ServiceClientsRepository } from './service-clients.repository';

const HOUR_MS = 3_600_000;

/** A client just made: the plaintext `clientSecret` goes into the 201 and is never seen again. */
export interface CreatedServiceClient {
  client: ServiceClient;
  clientSecret: string;
}

/** An app just made: a public one has no secret. */
export interface CreatedAppClient {
  client: ServiceClient;
  clientSecret?: string;
}

/** What the audit trail calls each kind of client's changes. */
const AUDITED_AS: Readonly<Record<ClientKind, string>> = { service: 'service_client', app: 'app_client' };

/**
 * The admin side of the client registry (docs/http-contract.md, Service client admin and Delegated authorization):
 * service clients and apps, one table. Every change is audited.
 */
@Injectable()
export class ServiceClientsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clients: ServiceClientsRepository,
    private readonly apiKeys: ApiKeysService,
    private readonly revocations: Revocations,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async create(input: { name: string; scopes: Scope[] }, actor: AuditActor): Promise<CreatedServiceClient> {
    const clientSecret = newClientSecret();
    const row = { ...input, type: 'confidential' as const, grantTypes: [...SERVICE_CLIENT_GRANTS], redirectUris: [] };
    return this.dataSource.transaction(async (manager) => {
      const client = await this.clients.insert({ ...row, clientId: newClientId(), secretHash: hashClientSecret(clientSecret) }, manager);
      await this.record(manager, 'create', client, actor);
      return { client, clientSecret };
    });
  }

  /** An app that users authorize: its redirect URIs checked for this environment (redirectUriProblem), else 400. */
  async createApp(input: CreateAppClientDto, actor: AuditActor): Promise<CreatedAppClient> {
    const errors = input.redirectUris.flatMap((uri, index) => {
      const problem = redirectUriProblem(uri, this.config.isProduction);
      return problem ? [{ field: `redirectUris.${index}`, message: `redirectUris.${index} ${problem}` }] : [];
    });
    if (errors.length > 0) throw new ProblemException(400, 'A redirect URI cannot be registered', {}, errors);
    const clientSecret = input.type === 'confidential' ? newClientSecret() : undefined;
    const row = { ...input, clientId: newAppClientId(), grantTypes: [...APP_CLIENT_GRANTS], secretHash: clientSecret ? hashClientSecret(clientSecret) : null };
    return this.dataSource.transaction(async (manager) => {
      const client = await this.clients.insert(row, manager);
      await this.record(manager, 'create', client, actor);
      return { client, clientSecret };
    });
  }

  list(kind: ClientKind, page: { limit: number; offset: number }): Promise<[ServiceClient[], number]> {
    return this.clients.page(kind, page);
  }

  /** A client not deleted, by the public `client_id` a token request names; a deleted one is the same as none. */
  findActiveByClientId(clientId: string): Promise<ServiceClient | null> {
    return this.clients.findActiveByClientId(clientId);
  }

  /** An app not deleted, by its registry id (an authorization request names it so). */
  findActiveApp(id: string): Promise<ServiceClient | null> {
    return this.clients.findActive('app', id);
  }

  /** Keeps the client from being deleted until the caller's transaction ends (ServiceClientsRepository.holdActive); false if it was. */
  holdActive(client: ServiceClient, manager: EntityManager): Promise<boolean> {
    return this.clients.holdActive(client.id, manager);
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
      await this.record(manager, 'rotate_secret', client, actor);
    });
    return clientSecret;
  }

  /**
   * Deletes the client: its access tokens, API keys and secrets stop working at once, on every
   * instance. Its token generation moves on in Postgres and then in the shared revocation store, in
   * one transaction (Revocations.advanceGeneration): if the store cannot be written, nothing changes
   * and the admin gets a 503, rather than a deleted client whose tokens still work. A token request
   * that authenticated the client just before signs with the old generation, and is refused as well.
   * An app's tokens are its users' (their `sub` is the user): its refresh-token families are revoked
   * with every access token issued in them, and a grant that held the client's row (holdActive)
   * committed first, so its family is among them.
   */
  async delete(client: ServiceClient, actor: AuditActor): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.revocations.advanceGeneration(clientRevocationSubject(client.id), () => this.clients.markDeleted(client.id, this.clock.now(), manager));
      await this.apiKeys.revokeAllOf({ kind: 'client', id: client.id }, manager);
      if (isAppClient(client)) await this.sessions.endAllOfClient(client.id, manager);
      await this.record(manager, 'delete', client, actor);
    });
  }

  private record(manager: EntityManager, change: string, client: ServiceClient, actor: AuditActor): Promise<void> {
    const targetType = AUDITED_AS[isAppClient(client) ? 'app' : 'service'];
    return this.audit.record({ ...actor, action: `${targetType}.${change}`, targetType, targetId: client.id, outcome: 'success' }, manager);
  }
}
