import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEvent } from './audit-event.entity';
import { SqlParameters } from '../database/sql-parameters';

/**
 * The one owner of the `audit_events` table: inserts and reads only. A database trigger refuses
 * UPDATE, DELETE and TRUNCATE (and the service role holds no such grant), so there is nothing else
 * to write. Inserts in plain SQL (so one can be part of the statement it records), reads with
 * TypeORM's API and entity property names.
 */
/** An event as it is recorded: the database gives it its id and time. */
export type NewAuditEvent = Omit<AuditEvent, 'id' | 'at'>;

@Injectable()
export class AuditEventsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(event: NewAuditEvent, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const params = new SqlParameters();
    await manager.query(this.insertion(event, params), params.values);
  }

  /** The INSERT of one event, to run on its own or inside the statement it records (see AlongsideWrites). */
  insertion(event: NewAuditEvent, params: SqlParameters): string {
    const values = [event.actorType, event.actorId, event.action, event.targetType, event.targetId, event.outcome, event.ip, event.requestId].map((value) =>
      params.add(value),
    );
    return `INSERT INTO audit_events (actor_type, actor_id, action, target_type, target_id, outcome, ip, request_id) VALUES (${values.join(', ')})`;
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
