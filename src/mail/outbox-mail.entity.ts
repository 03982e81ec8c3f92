import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** What became of a mail: sent (or kept, without SMTP), skipped by its composer, or given up after its last attempt. */
export type MailOutcome = 'sent' | 'kept' | 'skipped' | 'failed';

/**
 * A mail to send, as its feature queued it: what kind, to whom, about which user, with which facts (`params`). It
 * is written in the transaction of the change it tells of, so a change never commits without its mail, nor a mail
 * without its change; a worker composes and sends it later (OutboxWorker).
 */
@Entity('mail_outbox')
export class OutboxMail {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'varchar', length: 254 })
  recipient: string;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  /** Plain facts for the composer (an address, a user agent): never a token or a password. */
  @Column({ type: 'jsonb', default: {} })
  params: Record<string, string>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Not before: now when queued; pushed back by each attempt, which holds the mail until then. */
  @Column({ name: 'send_after', type: 'timestamptz' })
  sendAfter: Date;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'done_at', type: 'timestamptz', nullable: true })
  doneAt: Date | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  outcome: MailOutcome | null;

  /** The last failure's error code (e.g. `ECONNREFUSED`), never its message: a driver's message may quote the URL. */
  @Column({ name: 'last_error', type: 'varchar', length: 200, nullable: true })
  lastError: string | null;

  /** Filled by the development mailbox only (no SMTP_URL), for /dev/mail: a mail sent over SMTP is never stored. */
  @Column({ type: 'text', nullable: true })
  subject: string | null;

  @Column({ name: 'text_body', type: 'text', nullable: true })
  textBody: string | null;

  @Column({ name: 'html_body', type: 'text', nullable: true })
  htmlBody: string | null;
}
