import { ProblemException } from '../../common/http/problem.exception';

/** What a mailed link is for; a token redeems only for its own purpose. */
export type AccountLinkPurpose = 'email_verification' | 'password_reset' | 'email_change';

/**
 * How long each link works (OWASP Forgot Password Cheat Sheet: short-lived; ASVS V6.4.1): a reset link is the key
 * to the account, so the shortest; a verification link may sit in an inbox for a day.
 */
export const LINK_LIFETIME_SECONDS: Record<AccountLinkPurpose, number> = {
  email_verification: 24 * 3600,
  password_reset: 30 * 60,
  email_change: 3600,
};

/** The page of the front end each link opens, under PUBLIC_URL; it posts the token to the API route named. */
const LINK_PATHS: Record<AccountLinkPurpose, string> = {
  email_verification: '/account/verify-email',
  password_reset: '/account/reset-password',
  email_change: '/account/confirm-email-change',
};

/**
 * The link of a mail, on the configured origin (PUBLIC_URL), never on the request's Host or X-Forwarded-Host,
 * which a client chooses: a reset mail whose link points to an attacker's host hands them the token ("reset
 * link poisoning"). The token rides in the fragment, which a browser never sends to any server, so it appears
 * in no access log and no Referer of the front end.
 */
export function accountLink(publicUrl: string, purpose: AccountLinkPurpose, token: string): string {
  return `${publicUrl}${LINK_PATHS[purpose]}#token=${token}`;
}

/**
 * The one answer to a token that redeems nothing, whatever was wrong with it (unknown, used, expired, another
 * purpose, voided): telling which would only help someone holding a token that is not theirs.
 */
export function invalidLink(): ProblemException {
  return new ProblemException(400, 'This link is not valid: it is unknown, used, expired, or voided by a later change');
}
