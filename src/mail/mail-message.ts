import type { Provider, Type } from '@nestjs/common';

/** A mail as composed: both parts, so every client shows it (text for the plain ones, HTML for the rest). */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * Composes the mails of some kinds from what was queued: `undefined` when there is nothing to send after all (the
 * address has no account, or no longer needs the mail), which is decided here, after the request was answered, so
 * the answer cannot tell (docs/http-contract.md, Accounts). A feature registers its composers (mailComposers()).
 */
export interface MailComposer {
  readonly kinds: readonly string[];
  compose(mail: { kind: string; recipient: string; userId: string | null; params: Record<string, string> }): Promise<MailMessage | undefined>;
}

/** Injection token: every registered MailComposer. */
export const MAIL_COMPOSERS = Symbol('MAIL_COMPOSERS');

/** The provider of MAIL_COMPOSERS: these composer classes, each provided by its feature module. */
export function mailComposers(...composers: Type<MailComposer>[]): Provider {
  return { provide: MAIL_COMPOSERS, inject: composers, useFactory: (...instances: MailComposer[]) => instances };
}
