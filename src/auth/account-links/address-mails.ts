import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service';
import { HttpOrigin } from '../../audit/request-origin.decorator';
import { MailOutbox } from '../../mail/mail-outbox';

/**
 * Mails asked for by address, by someone not signed in (a resend, a reset): the mail and its audit row are queued
 * in one transaction, the same two writes for every address, known or not. Whether the mail is sent is decided
 * by its composer, after the answer (AccountMailComposer), so neither the answer nor its timing tells.
 */
@Injectable()
export class AddressMails {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: MailOutbox,
    private readonly audit: AuditService,
  ) {}

  async queue(kind: string, email: string, action: string, origin: HttpOrigin): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.outbox.enqueue({ kind, recipient: email }, manager);
      await this.audit.record({ ...origin, actorType: 'anonymous', actorId: null, action, targetType: null, targetId: null, outcome: 'success' }, manager);
    });
  }
}
