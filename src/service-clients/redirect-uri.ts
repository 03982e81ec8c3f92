/** RFC 8252 §7.3: a native app receives its redirect on a local listener, named by a loopback host. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Why a redirect URI cannot be registered, or undefined when it can. It is an absolute URL without a fragment
 * (RFC 6749 §3.1.2) or user info, and https: the code travels in it. Plain http only where no network carries it,
 * a loopback host (RFC 8252 §7.3), or anywhere outside production. An authorization request must then name it
 * exactly, character for character (RFC 9700 §4.1.3): no pattern, no prefix, no normalization.
 */
export function redirectUriProblem(uri: string, production: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'must be an absolute URL';
  }
  if (uri.includes('#')) return 'must not have a fragment (RFC 6749 §3.1.2)';
  if (url.username !== '' || url.password !== '') return 'must not hold a user name or password';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') return 'must be an https URL';
  if (!production || LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return 'must be https in production, unless its host is 127.0.0.1, [::1] or localhost (RFC 8252 §7.3)';
}

/** An http URL on a loopback IP literal, split where its port is (RFC 8252 §7.3: "http://127.0.0.1:{port}/{path}"). */
const LOOPBACK_IP_URL = /^(http:\/\/(?:127\.0\.0\.1|\[::1\]))(?::\d{1,5})?([/?].*)?$/;

/**
 * Whether an authorization request's redirect_uri is one the app registered: exactly, character for character
 * (RFC 9700 §4.1.3), except for the port of a loopback IP literal. RFC 8252 §7.3: a native app listens on a port
 * the operating system picks at the time of the request, so the server MUST allow any port there. Only the port:
 * scheme, address, path and query still match exactly, and `localhost` is not included (RFC 8252 §8.3: a name
 * can resolve elsewhere).
 */
export function isRegisteredRedirect(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  // A port past 65535 is no URL a browser can be redirected to.
  const request = URL.canParse(requested) ? LOOPBACK_IP_URL.exec(requested) : null;
  if (!request) return false;
  return registered.some((uri) => {
    const match = LOOPBACK_IP_URL.exec(uri);
    return match !== null && match[1] === request[1] && (match[2] ?? '') === (request[2] ?? '');
  });
}
