import { escapeHtml } from '../../common/html';

/** A mail's subject and paragraphs; a paragraph may be a link, shown as its own line. */
export interface MailContent {
  subject: string;
  paragraphs: Array<string | { link: string }>;
}

const SIGNATURE = 'Secure Orders API';

/**
 * Both parts of a mail from its paragraphs. Everything is escaped in the HTML part, including what a user chose
 * (an address, a user agent): the mail carries no markup of anyone's. Links are written out in full, so the
 * reader sees where they go.
 */
export function renderMail(content: MailContent): { subject: string; text: string; html: string } {
  const text = [...content.paragraphs.map((paragraph) => (typeof paragraph === 'string' ? paragraph : paragraph.link)), `— ${SIGNATURE}`].join('\n\n');
  const html = content.paragraphs
    .map((paragraph) =>
      typeof paragraph === 'string' ? `<p>${escapeHtml(paragraph)}</p>` : `<p><a href="${escapeHtml(paragraph.link)}">${escapeHtml(paragraph.link)}</a></p>`,
    )
    .join('');
  return { subject: content.subject, text, html: `<!doctype html><html><body>${html}<p>— ${SIGNATURE}</p></body></html>` };
}

/** A user agent as a notice quotes it: one line, at most 120 characters, so it cannot pass for the mail's own text. */
export function quotedUserAgent(userAgent: string | undefined): string {
  const line = (userAgent ?? '').replace(/[\p{Cc}\p{Cf}\s]+/gu, ' ').trim();
  return line === '' ? 'an unnamed client' : `"${line.slice(0, 120)}"`;
}

const IF_NOT_YOU = 'If this was not you, change your password now: it also signs out every session.';

export const ACCOUNT_MAILS = {
  emailVerification: (link: string): MailContent => ({
    subject: 'Confirm your e-mail address',
    paragraphs: ['Open this link to confirm the address of your account. It works once, for 24 hours.', { link }],
  }),
  signupWithExistingAddress: (): MailContent => ({
    subject: 'Someone tried to sign up with your address',
    paragraphs: [
      'Someone tried to create an account with this e-mail address, which already has one. No account was created.',
      'If it was you, sign in, or reset your password if you forgot it. If not, you can ignore this mail.',
    ],
  }),
  passwordReset: (link: string): MailContent => ({
    subject: 'Reset your password',
    paragraphs: [
      'Open this link to choose a new password. It works once, for 30 minutes.',
      { link },
      'If you did not ask for this, ignore this mail: your password stays as it is.',
    ],
  }),
  passwordWasReset: (): MailContent => ({
    subject: 'Your password was reset',
    paragraphs: [
      'The password of your account was reset, and every session and API key of the account was ended.',
      'If this was not you, someone can read your mail: secure your mailbox, then reset your password again.',
    ],
  }),
  emailChange: (link: string): MailContent => ({
    subject: 'Confirm your new e-mail address',
    paragraphs: ['Open this link to make this the address of your account. It works once, for one hour.', { link }],
  }),
  emailChangeRequested: (newEmail: string): MailContent => ({
    subject: 'A change of your e-mail address was requested',
    paragraphs: [
      `Someone signed in to your account asked to change its address to ${newEmail}. It changes only once the new address is confirmed.`,
      IF_NOT_YOU,
    ],
  }),
  newSignIn: (ip: string, userAgent: string): MailContent => ({
    subject: 'New sign-in to your account',
    paragraphs: [`Your account was signed in to from ${ip} with ${userAgent}, a combination not seen before.`, IF_NOT_YOU],
  }),
};
