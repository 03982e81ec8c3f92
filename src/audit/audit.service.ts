import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditEvent, AuditOutcome } from './audit-event.entity';

export type AuditActorType = 'user' | 'client' | 'anonymous' | 'system';

/** Where a request came from, for the audit trail. */
export interface RequestOrigin {
  ip: string | null;
  requestId: string | null;
}

export interface AuditRecord extends RequestOrigin {
  actorType: AuditActorType;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
}

/**
 * Writes the append-only audit trail (docs/http-contract.md, Audit). Ids, actions and outcomes only: never a
 * password, token, key or secret, so the trail can be read without becoming a leak itself.
 */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Pass the caller's transaction `manager` so the event commits (or rolls back) with what it records. */
  async record(event: AuditRecord, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.insert(AuditEvent, event);
  }
}
