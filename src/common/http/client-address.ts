import type { FastifyRequest } from 'fastify';
import { isIP } from 'node:net';

/**
 * The client's IP address, for audit events and per-IP limits. Fastify's `request.ips` is the
 * peer's address, then what trusted proxies reported in X-Forwarded-For, up to the first hop that is
 * not a trusted proxy (trustProxy in app.factory.ts). A trusted proxy may still pass on what a client
 * wrote there itself: only a well-formed IP address is believed (no host name, no `unknown`, no
 * zone id), else the client is the hop that reported it. Never read `request.ip` for this: it would
 * return that text as it is, an unbounded string a client picks (OWASP API8).
 */
export function clientAddress(request: FastifyRequest): string {
  const hops = request.ips ?? [request.ip];
  const reported = hops[hops.length - 1];
  return isIP(reported) !== 0 && !reported.includes('%') ? reported : hops[hops.length - 2];
}
