import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { until } from './until';

/** A mail as a real SMTP server received it, parsed by mailparser: the envelope, and both parts. */
export interface ReceivedMail {
  /** The envelope's recipients (RCPT TO), lower case. */
  to: string[];
  subject: string;
  text: string;
  html: string;
}

/**
 * A real SMTP server (smtp-server) on loopback, in the test's process: the service sends to it with nodemailer
 * over TCP, as it would to any mail server, and the test reads what arrived. `refuseNext(n)` makes the next n
 * mails fail with a temporary error (451), as a server under load does.
 */
export class SmtpInbox {
  readonly mails: ReceivedMail[] = [];
  private refusals = 0;

  private readonly server = new SMTPServer({
    // Loopback only, no account: the service under test sends as any client of a relay would.
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData: (stream, session, callback) => {
      if (this.refusals > 0) {
        this.refusals--;
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('Try again later'), { responseCode: 451 })));
        return;
      }
      simpleParser(stream)
        .then((parsed) => {
          this.mails.push({
            to: session.envelope.rcptTo.map((recipient) => recipient.address.toLowerCase()),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
          });
          callback();
        })
        .catch(callback);
    },
  });

  private constructor() {}

  static async start(): Promise<SmtpInbox> {
    const inbox = new SmtpInbox();
    await new Promise<void>((resolve) => inbox.server.listen(0, '127.0.0.1', resolve));
    return inbox;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  refuseNext(count: number): void {
    this.refusals = count;
  }

  /** Every mail received for `address` so far. */
  to(address: string): ReceivedMail[] {
    return this.mails.filter((mail) => mail.to.includes(address.toLowerCase()));
  }

  /** The first mail for `address` whose subject matches, once it has arrived (the outbox sends within about a second). */
  async waitFor(address: string, subject: RegExp, timeoutMs = 15_000): Promise<ReceivedMail> {
    let found: ReceivedMail | undefined;
    await until(() => (found = this.to(address).find((mail) => subject.test(mail.subject))) !== undefined, timeoutMs);
    return found!;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
