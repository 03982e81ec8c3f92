import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import type { MailMessage } from './mail-message';

/** Where composed mails go: an SMTP server, or (without SMTP_URL) the development mailbox in the outbox itself. */
export interface MailTransport {
  /** What the outbox records for a mail this transport took: `sent` over SMTP, `kept` in the development mailbox. */
  readonly outcome: 'sent' | 'kept';
  deliver(mailId: string, message: MailMessage): Promise<void>;
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

/**
 * Short timeouts: a mail is held by its attempt for a minute at least (MailOutbox.claimNext), so an attempt must
 * end well within it, or another instance could send the same mail again. nodemailer's defaults allow minutes.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 15_000, dnsTimeout: 5_000 };

/**
 * nodemailer over SMTP: `smtp://` (STARTTLS when the server offers it) or `smtps://` (TLS from the start). Pooled:
 * a few connections kept open and reused, rather than one handshake per mail; closed at shutdown, after the outbox
 * worker has finished its last mail (onApplicationShutdown runs after every onModuleDestroy).
 */
export class SmtpTransport implements MailTransport, OnApplicationShutdown {
  readonly outcome = 'sent';
  private readonly transporter;

  constructor(smtpUrl: string, from: string) {
    // nodemailer's own logger stays off: it would log addresses and, at debug level, the mail itself.
    this.transporter = createTransport({ url: smtpUrl, pool: true, maxConnections: 2, ...SMTP_TIMEOUTS, logger: false }, { from });
  }

  async deliver(_mailId: string, { to, subject, text, html }: MailMessage): Promise<void> {
    await this.transporter.sendMail({ to, subject, text, html });
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}

/** The embedded default: the mail stays in its outbox row, for /dev/mail to show (development and tests only). */
export class DevMailbox implements MailTransport {
  readonly outcome = 'kept';

  constructor(private readonly keep: (mailId: string, message: MailMessage) => Promise<void>) {
    new Logger('Mail').warn('SMTP_URL is not set: mails are kept in the outbox and shown at /dev/mail, not sent');
  }

  deliver(mailId: string, message: MailMessage): Promise<void> {
    return this.keep(mailId, message);
  }
}
