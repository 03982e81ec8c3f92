import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditEvent, AuditOutcome } from './audit-event.entity';
import { AuditEventsRepository } from './audit-events.repository';
import { ListAuditEventsQuery } from './list-audit-events.query';
import { SqlParameters } from '../database/sql-parameters';

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
  constructor(private readonly events: AuditEventsRepository) {}

  /** Pass the caller's transaction `manager` so the event commits (or rolls back) with what it records. */
  record(event: AuditRecord, manager?: EntityManager): Promise<void> {
    return this.events.insert(event, manager);
  }

  /** The same record as part of the statement that makes the change it records (see AlongsideWrites). */
  insertion(event: AuditRecord, params: SqlParameters): string {
    return this.events.insertion(event, params);
  }

  /** The trail as admins read it (GET /audit-events). */
  list(query: ListAuditEventsQuery): Promise<[AuditEvent[], number]> {
    return this.events.page(query);
  }
}
