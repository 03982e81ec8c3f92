import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { OutboxWorker } from '../../src/mail/outbox-worker';

/** A mail as the development mailbox kept it (no SMTP_URL): what /dev/mail shows. */
export interface KeptMail {
  kind: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * The mails kept for `address`, oldest first, once the app's own outbox worker has sent what is due (its poll, run
 * now rather than at its next tick; twice, since a tick already under way may have looked before the mail was
 * queued).
 */
export async function keptMails(app: NestFastifyApplication, address: string): Promise<KeptMail[]> {
  const worker = app.get(OutboxWorker);
  await worker.poll();
  await worker.poll();
  const rows = await app
    .get(DataSource)
    .query<
      Array<{ kind: string; subject: string; text_body: string; html_body: string }>
    >(`SELECT kind, subject, text_body, html_body FROM mail_outbox WHERE recipient = $1 AND outcome = 'kept' ORDER BY done_at, created_at`, [address.toLowerCase()]);
  return rows.map((row) => ({ kind: row.kind, subject: row.subject, text: row.text_body, html: row.html_body }));
}

/** The newest kept mail for `address` with a subject matching; fails if there is none. */
export async function lastMail(app: NestFastifyApplication, address: string, subject: RegExp): Promise<KeptMail> {
  const mail = (await keptMails(app, address)).filter((kept) => subject.test(kept.subject)).at(-1);
  if (!mail) throw new Error(`no mail "${subject.source}" for ${address}`);
  return mail;
}

/** The account link in a mail's text (`<origin>/account/<page>#token=<43 characters>`). */
export function linkIn(text: string): { origin: string; path: string; token: string } {
  const match = /(https?:\/\/[^/\s]+)(\/account\/[a-z-]+)#token=([A-Za-z0-9_-]{43})\b/.exec(text);
  if (!match) throw new Error(`no account link in: ${text}`);
  return { origin: match[1], path: match[2], token: match[3] };
}

export const SUBJECTS = {
  verification: /^Confirm your e-mail address$/,
  signupExisting: /^Someone tried to sign up/,
  reset: /^Reset your password$/,
  wasReset: /^Your password was reset$/,
  emailChange: /^Confirm your new e-mail address$/,
  emailChangeRequested: /^A change of your e-mail address was requested$/,
  newSignIn: /^New sign-in/,
};
