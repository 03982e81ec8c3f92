/**
 * The URL Fastify will route. Its router answers a path it cannot percent-decode (`/orders/%ff`)
 * by itself, before any hook runs: bare JSON quoting the path, with no problem body, X-Request-Id
 * or security header. Such a path is routed with its `%` signs taken literally instead, so it gets
 * the same answer as any other malformed path: the route's 400 (a malformed id) or a 404.
 */
export function decodableUrl(url: string): string {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (!path.includes('%')) return url;
  try {
    decodeURIComponent(path);
    return url;
  } catch {
    return path.replaceAll('%', '%25') + url.slice(path.length);
  }
}
