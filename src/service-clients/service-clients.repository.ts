import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ArrayContains, DataSource, EntityManager, IsNull } from 'typeorm';
import { ClientKind, KIND_GRANT, ServiceClient } from './service-client.entity';

/**
 * The one owner of the `service_clients` table. TypeORM's API with entity property names; a raw SQL
 * expression only where the statement must compute or return values itself (`token_generation + 1`,
 * the current hash moved to `previous`, RETURNING), and then columns. A deleted client's row stays,
 * for the audit trail: every lookup asks for clients not deleted.
 */
@Injectable()
export class ServiceClientsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  insert(
    row: Pick<ServiceClient, 'name' | 'scopes' | 'clientId' | 'secretHash' | 'type' | 'grantTypes' | 'redirectUris'>,
    manager: EntityManager,
  ): Promise<ServiceClient> {
    return manager.save(manager.create(ServiceClient, { ...row, previousSecretHash: null, previousSecretExpiresAt: null, deletedAt: null }));
  }

  /** A page of the clients of one kind not deleted, newest first. */
  page(kind: ClientKind, page: { limit: number; offset: number }): Promise<[ServiceClient[], number]> {
    return this.dataSource.manager.findAndCount(ServiceClient, {
      where: { deletedAt: IsNull(), grantTypes: ArrayContains([KIND_GRANT[kind]]) },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  findActive(kind: ClientKind, id: string): Promise<ServiceClient | null> {
    return this.dataSource.manager.findOneBy(ServiceClient, { id, deletedAt: IsNull(), grantTypes: ArrayContains([KIND_GRANT[kind]]) });
  }

  findActiveByClientId(clientId: string): Promise<ServiceClient | null> {
    return this.dataSource.manager.findOneBy(ServiceClient, { clientId, deletedAt: IsNull() });
  }

  /**
   * Locks a client's row for the rest of the caller's transaction (SELECT … FOR UPDATE), so that
   * changes made in its name (its API keys) are serialized; null when it was deleted.
   */
  lockActive(id: string, manager: EntityManager): Promise<ServiceClient | null> {
    return manager.findOne(ServiceClient, { where: { id, deletedAt: IsNull() }, lock: { mode: 'pessimistic_write' } });
  }

  /**
   * Holds a client's row against its deletion for the rest of the caller's transaction (SELECT … FOR SHARE): the
   * tokens being issued to it commit before a deletion can start, so the deletion sees them and revokes them; a
   * deletion that came first is waited for, and then no row comes back. False when the client was deleted.
   */
  async holdActive(id: string, manager: EntityManager): Promise<boolean> {
    return (await manager.findOne(ServiceClient, { where: { id, deletedAt: IsNull() }, lock: { mode: 'pessimistic_read' } })) !== null;
  }

  /**
   * One statement moves the current hash to `previous`: of two concurrent rotations, the second
   * sees the first's secret as the current one, so no secret handed out is lost in between. False
   * when the client was deleted.
   */
  async rotateSecret(id: string, secretHash: string, previousExpiresAt: Date, manager: EntityManager): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(ServiceClient)
      .set({ previousSecretHash: () => 'secret_hash', secretHash, previousSecretExpiresAt: previousExpiresAt })
      .where({ id, deletedAt: IsNull() })
      .execute();
    return result.affected !== 0;
  }

  /** Marks the client deleted and moves its token generation on, in one statement that returns the new one and when it moved. */
  async markDeleted(id: string, at: Date, manager: EntityManager): Promise<{ generation: number; revokedAt: number }> {
    const update = await manager
      .createQueryBuilder()
      .update(ServiceClient)
      .set({ deletedAt: at, tokenGeneration: () => 'token_generation + 1' })
      .where({ id })
      .returning('token_generation AS generation, extract(epoch FROM deleted_at)::int AS revoked_at')
      .execute();
    const [moved] = update.raw as Array<{ generation: number; revoked_at: number }>;
    return { generation: moved.generation, revokedAt: moved.revoked_at };
  }
}
