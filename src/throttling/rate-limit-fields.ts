import type { FastifyReply } from 'fastify';

/**
 * Where a client stands against one named limit, as the IETF RateLimit fields report it
 * (draft-ietf-httpapi-ratelimit-headers).
 */
export interface RateLimitState {
  /** The policy's name, e.g. `anonymous`. */
  policy: string;
  quota: number;
  windowSeconds: number;
  remaining: number;
  /** Seconds until the window ends and the quota is whole again. */
  resetSeconds: number;
}

/** Receives the state of the limits a request was held to, for its response. */
export type RateLimitReport = (states: RateLimitState[]) => void;

/**
 * Adds limits to the RateLimit fields already on the reply (e.g. the general `anonymous` limit set
 * by the rate-limit guard): a route held to several limits lists each, comma-separated, since both
 * fields are structured-field lists (draft-ietf-httpapi-ratelimit-headers).
 */
export function appendRateLimitHeaders(reply: FastifyReply, states: RateLimitState[]): void {
  for (const state of states) {
    append(reply, 'ratelimit-policy', `"${state.policy}";q=${state.quota};w=${state.windowSeconds}`);
    append(reply, 'ratelimit', `"${state.policy}";r=${state.remaining};t=${state.resetSeconds}`);
  }
}

function append(reply: FastifyReply, name: string, value: string): void {
  const existing = reply.getHeader(name);
  void reply.header(name, existing ? `${String(existing)}, ${value}` : value);
}
