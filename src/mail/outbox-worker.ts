import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { MAIL_COMPOSERS, MailComposer } from './mail-message';
import { MAIL_TRANSPORT, MailTransport } from './mail-transport';
import { MAX_MAIL_ATTEMPTS, MailOutbox } from './mail-outbox';
import type { OutboxMail } from './outbox-mail.entity';

/** How often each instance looks for mail due: a queued mail waits a second at most. */
const POLL_INTERVAL_MS = 1_000;
/** Mails one poll sends at most, so a long queue does not hold a poll for long. */
const MAILS_PER_POLL = 20;

/**
 * Sends the outbox's mails, in every instance: each poll claims due mails one at a time (MailOutbox.claimNext:
 * never one another instance holds), has its kind's composer write it, and hands it to the transport. A failure
 * is retried with backoff; only the error code is logged, and never an address or a body.
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('Mail');
  private readonly composers = new Map<string, MailComposer>();
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;

  constructor(
    private readonly outbox: MailOutbox,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(MAIL_COMPOSERS) composers: MailComposer[],
  ) {
    for (const composer of composers) for (const kind of composer.kinds) this.composers.set(kind, composer);
  }

  onApplicationBootstrap(): void {
    // unref: a pending poll never keeps the process alive.
    this.timer = setInterval(() => void this.poll(), POLL_INTERVAL_MS).unref();
  }

  /** A shutdown lets the mail being sent finish (its attempt would otherwise only end by its backoff). */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  /** Sends what is due now; a poll still running is not doubled. Resolves when done (tests await it). */
  poll(): Promise<void> {
    this.polling ??= this.sendDue()
      .catch((error: unknown) => this.log.error(`Outbox poll failed: ${errorCode(error)}`))
      .finally(() => (this.polling = undefined));
    return this.polling;
  }

  private async sendDue(): Promise<void> {
    for (let sent = 0; sent < MAILS_PER_POLL; sent++) {
      const mail = await this.outbox.claimNext();
      if (!mail) return;
      await this.send(mail);
    }
  }

  private async send(mail: OutboxMail): Promise<void> {
    // Past its last attempt (whose instance died before it could record the outcome): given up, not tried again.
    if (mail.attempts > MAX_MAIL_ATTEMPTS) {
      await this.outbox.finish(mail.id, 'failed');
      this.log.error(`Mail ${mail.id} (${mail.kind}) given up after ${MAX_MAIL_ATTEMPTS} attempts`);
      return;
    }
    try {
      const composer = this.composers.get(mail.kind);
      if (!composer) throw new Error(`no composer for mail kind ${mail.kind}`);
      const message = await composer.compose(mail);
      if (message) await this.transport.deliver(mail.id, message);
      await this.outbox.finish(mail.id, message ? this.transport.outcome : 'skipped');
    } catch (error) {
      const lastAttempt = mail.attempts >= MAX_MAIL_ATTEMPTS;
      const code = errorCode(error);
      await this.outbox.failed(mail.id, code, lastAttempt);
      if (lastAttempt) this.log.error(`Mail ${mail.id} (${mail.kind}) given up after ${mail.attempts} attempts: ${code}`);
      else this.log.warn(`Mail ${mail.id} (${mail.kind}) attempt ${mail.attempts} failed, will retry: ${code}`);
    }
  }
}

/** An error's code (ECONNREFUSED, EAUTH, …) or class name: a message may quote a URL with its password. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown; responseCode?: unknown })?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'unknown error';
}
