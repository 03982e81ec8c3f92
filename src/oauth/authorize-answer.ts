import type { ErrorWriter } from '../common/http/error-writer';
import { authorizationPageCsp } from '../security/hardening/security-headers';
import { errorPage } from './authorize-pages';

/** What the authorization endpoint answers a browser with: a page, or a redirect to the client. */
export type AuthorizeAnswer = PageAnswer | RedirectAnswer;

export interface PageAnswer {
  status: number;
  html: string;
  /** A page with a form: its CSP (authorizationPageCsp). */
  csp?: string;
  cookie?: string;
}

export interface RedirectAnswer {
  status: 302 | 303;
  location: string;
  cookie?: string;
}

/** A page that trusts no redirect URI: nothing is sent to the client (RFC 6749 §4.1.2.1, no open redirect). */
export function errorAnswer(status: number, title: string, message: string): PageAnswer {
  return { status, html: errorPage(title, message) };
}

/** A page with a form, whose answer may be redirected to `redirectUri`. */
export function formAnswer(status: number, html: string, redirectUri: string, cookie?: string): PageAnswer {
  return { status, html, csp: authorizationPageCsp(redirectUri), ...(cookie && { cookie }) };
}

/**
 * The client's redirect URI with the answer's parameters (`code` or `error`, and `state`) and `iss` (RFC 9207
 * §2), by which the client checks that the answer comes from the server it sent the user to (mix-up attacks,
 * RFC 9700 §4.4). A query the URI was registered with is kept (RFC 6749 §3.1.2). 302 for the first request, a
 * GET; 303 after a form, so the browser follows it with a GET, not by posting the form again.
 */
export function redirectAnswer(
  status: 302 | 303,
  redirectUri: string,
  issuer: string,
  parameters: Record<string, string | undefined>,
  cookie?: string,
): RedirectAnswer {
  const location = new URL(redirectUri);
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined) location.searchParams.append(name, value);
  location.searchParams.append('iss', issuer);
  return { status, location: location.href, ...(cookie && { cookie }) };
}

/**
 * The ErrorWriter of the authorization endpoint's routes (read by the global ProblemFilter, so it also covers a
 * body refused before the handler, a validation failure or a rate limit): any error as an HTML page, for the
 * browser it is shown in, never a redirect. A 5xx says only that it failed, as everywhere.
 */
export const writePageError: ErrorWriter = (_error, status, detail) => ({
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: errorPage(status >= 500 ? 'Something went wrong' : 'This request cannot be answered', detail ?? 'The server could not handle the request.'),
});
