import { escapeHtml } from '../common/html';
import type { Scope } from '../security/scopes';

/** What each scope lets an app do, in the words the consent page shows. */
const SCOPE_WORDING: Readonly<Partial<Record<Scope, string>>> = {
  'orders:read': 'See your orders',
  'orders:write': 'Place and cancel orders in your name',
};

/** The hidden fields of both forms: which request, and the browser's secret again (the CSRF token). */
export interface FormBinding {
  requestId: string;
  csrf: string;
}

/** The app and what it asks for, as the pages name them. */
export interface RequestedAccess {
  appName: string;
  scopes: readonly Scope[];
}

/**
 * The pages of the authorization endpoint: plain HTML, no script and no style, every value escaped
 * (src/common/html.ts). Their CSP allows forms to post to this origin only (and, for the redirect that follows,
 * the client's redirect URI: AuthorizeService), and no framing (clickjacking of the Allow button).
 */
function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function hiddenFields({ requestId, csrf }: FormBinding): string {
  return `<input type="hidden" name="request" value="${escapeHtml(requestId)}"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`;
}

function scopeList(scopes: readonly Scope[]): string {
  return `<ul>${scopes.map((scope) => `<li>${escapeHtml(SCOPE_WORDING[scope] ?? scope)} (<code>${escapeHtml(scope)}</code>)</li>`).join('')}</ul>`;
}

export function loginPage(access: RequestedAccess, binding: FormBinding, problem?: string): string {
  return page(
    'Sign in',
    `<p>${escapeHtml(access.appName)} asks to use your account. Sign in to choose what it may do.</p>` +
      (problem ? `<p role="alert">${escapeHtml(problem)}</p>` : '') +
      `<form method="post" action="/oauth/authorize/login">${hiddenFields(binding)}` +
      `<p><label>E-mail <input type="email" name="email" autocomplete="username" required></label></p>` +
      `<p><label>Password <input type="password" name="password" autocomplete="current-password" required></label></p>` +
      `<p><button type="submit">Sign in</button></p></form>`,
  );
}

/** `blocked`: why Allow is not offered (an unverified address asked for orders:write); Deny always is. */
export function consentPage(access: RequestedAccess, binding: FormBinding, blocked?: string): string {
  const allow = blocked ? `<p role="alert">${escapeHtml(blocked)}</p>` : `<button type="submit" name="decision" value="allow">Allow</button> `;
  return page(
    `Allow ${access.appName}?`,
    `<p>${escapeHtml(access.appName)} asks to:</p>${scopeList(access.scopes)}` +
      `<form method="post" action="/oauth/authorize/consent">${hiddenFields(binding)}<p>${allow}` +
      `<button type="submit" name="decision" value="deny">Deny</button></p></form>`,
  );
}

export function errorPage(title: string, message: string): string {
  return page(title, `<p>${escapeHtml(message)}</p><p>Nothing was shared. Go back to the app and start again.</p>`);
}
