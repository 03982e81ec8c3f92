import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Not, IsNull } from 'typeorm';
import type { MailMessage } from './mail-message';
import { MailOutcome, OutboxMail } from './outbox-mail.entity';
import { jsonValue } from '../database/json-value';

/** A mail to queue: its kind names the composer (MailComposer.kinds). */
export interface QueuedMail {
  kind: string;
  recipient: string;
  userId?: string | null;
  params?: Record<string, string>;
}

/** Attempts before a mail is given up: with the backoff below, some two hours of retries. */
export const MAX_MAIL_ATTEMPTS = 8;

/**
 * The one owner of the `mail_outbox` table. A mail is claimed by one atomic UPDATE that counts the attempt and
 * moves `send_after` past the attempt's end: the row is locked while it is claimed (FOR UPDATE), and a row another
 * instance is claiming is skipped, not waited for (SKIP LOCKED). So two instances never take the same mail, and
 * a mail whose attempt failed, or whose instance died, comes back by itself after a backoff that doubles each
 * time: 1, 2, 4, … minutes, at most an hour.
 */
@Injectable()
export class MailOutbox {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** In the caller's transaction: the mail is queued if, and only if, the change it tells of commits. */
  async enqueue(mail: QueuedMail, manager: EntityManager): Promise<void> {
    await manager.insert(OutboxMail, { kind: mail.kind, recipient: mail.recipient, userId: mail.userId ?? null, params: mail.params ?? {} });
  }

  /** The next mail due, claimed for one attempt; undefined when none is due. */
  async claimNext(): Promise<OutboxMail | undefined> {
    const rows = await this.dataSource.query<Array<Record<string, unknown>>>(
      // In a WITH and read by a SELECT: TypeORM returns a bare UPDATE's rows in a driver-specific shape.
      `WITH claimed AS (UPDATE mail_outbox SET attempts = attempts + 1, send_after = now() + least(60 * power(2, attempts), 3600) * interval '1 second'
       WHERE id = (
         SELECT id FROM mail_outbox WHERE done_at IS NULL AND send_after <= now()
         ORDER BY send_after LIMIT 1 FOR UPDATE SKIP LOCKED
       )
       RETURNING id, kind, recipient, user_id, params, attempts)
       SELECT * FROM claimed`,
    );
    const row = rows[0];
    if (!row) return undefined;
    const params = jsonValue(row.params as Record<string, string> | string);
    return Object.assign(new OutboxMail(), { id: row.id, kind: row.kind, recipient: row.recipient, userId: row.user_id, params, attempts: row.attempts });
  }

  async finish(id: string, outcome: MailOutcome): Promise<void> {
    await this.dataSource.manager.update(OutboxMail, { id }, { doneAt: () => 'now()', outcome });
  }

  /** A failed attempt: its error code is kept; the mail waits for its backoff, or is given up after the last attempt. */
  async failed(id: string, errorCode: string, lastAttempt: boolean): Promise<void> {
    const code = errorCode.slice(0, 200);
    await this.dataSource.manager.update(OutboxMail, { id }, lastAttempt ? { lastError: code, doneAt: () => 'now()', outcome: 'failed' } : { lastError: code });
  }

  /** The development mailbox's delivery: the composed mail, into its own row. */
  async keep(id: string, message: MailMessage): Promise<void> {
    await this.dataSource.manager.update(OutboxMail, { id }, { subject: message.subject, textBody: message.text, htmlBody: message.html });
  }

  /** The development mailbox, newest first (/dev/mail). */
  kept(limit: number): Promise<OutboxMail[]> {
    return this.dataSource.manager.find(OutboxMail, { where: { outcome: 'kept', textBody: Not(IsNull()) }, order: { doneAt: 'DESC' }, take: limit });
  }
}
