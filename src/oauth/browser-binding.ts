import { timingSafeEqual } from 'node:crypto';

/** The cookie holding the browser's secret for a pending authorization request. */
const COOKIE = 'oauth_request';
/** Sent only to the authorization endpoint's own routes. */
const COOKIE_PATH = '/oauth/authorize';

/**
 * CSRF protection of the login and consent forms (OWASP CSRF Prevention Cheat Sheet), double submit bound to a
 * server-side request: a random secret (256 bits) goes into an HttpOnly cookie and into the forms' hidden `csrf`
 * field, and only its hash into the request's row. A form is taken only when the two copies are equal and hash to
 * that row. A page on another site can make a browser post a form, but SameSite=Strict keeps the cookie off that
 * post, and it cannot read the secret to put in the field; a request an attacker started themselves is bound to
 * the attacker's browser, not the victim's. Secure in production, where every request is https.
 */
export function bindingCookie(secret: string, maxAgeSeconds: number, secure: boolean): string {
  return `${COOKIE}=${secret}; Path=${COOKIE_PATH}; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Ends the cookie once the request is decided. */
export function expiredBindingCookie(secure: boolean): string {
  return bindingCookie('', 0, secure);
}

/** The secret, when the browser's cookie and the form's field both carry it, else undefined. */
export function submittedSecret(cookieHeader: string | undefined, csrfField: string): string | undefined {
  const cookie = (cookieHeader ?? '')
    .split(';')
    .map((pair) => pair.trim())
    .find((pair) => pair.startsWith(`${COOKIE}=`))
    ?.slice(COOKIE.length + 1);
  if (cookie === undefined || cookie.length !== csrfField.length) return undefined;
  // Constant time, as for any secret compared with what a client sent (CWE-208).
  return timingSafeEqual(Buffer.from(cookie), Buffer.from(csrfField)) ? cookie : undefined;
}
