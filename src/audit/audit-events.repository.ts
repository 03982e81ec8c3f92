import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEvent } from './audit-event.entity';

/**
 * The one owner of the `audit_events` table: inserts and reads only. A database trigger refuses
 * UPDATE, DELETE and TRUNCATE (and the service role holds no such grant), so there is nothing else
 * to write. TypeORM's API with entity property names.
 */
@Injectable()
export class AuditEventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(event: Omit<AuditEvent, 'id' | 'at'>, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.insert(AuditEvent, event);
  }

  /** A page of events, newest first, optionally of one actor and one action. */
  page(query: { actorId?: string; action?: string; limit: number; offset: number }): Promise<[AuditEvent[], number]> {
    return this.dataSource.manager.findAndCount(AuditEvent, {
      where: { ...(query.actorId ? { actorId: query.actorId } : {}), ...(query.action ? { action: query.action } : {}) },
      order: { at: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
  }
}
