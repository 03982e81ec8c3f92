import type { FastifyReply } from 'fastify';
import { ProblemException } from '../common/http/problem.exception';
import type { RateLimitState } from './rate-limiter';

/**
 * The one writer of the IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers). It adds to
 * the fields already on the reply (e.g. the general `anonymous` limit set by the rate-limit guard):
 * a route held to several limits lists each, comma-separated, since both fields are
 * structured-field lists.
 */
export function writeRateLimitFields(reply: FastifyReply, states: RateLimitState[]): void {
  for (const { policy, remaining, resetMs } of states) {
    append(reply, 'ratelimit-policy', `"${policy.name}";q=${policy.quota};w=${policy.windowSeconds}`);
    append(reply, 'ratelimit', `"${policy.name}";r=${remaining};t=${Math.ceil(resetMs / 1000)}`);
  }
}

/** The state of the one general limit a request is held to, on its RateLimit fields; `429` once over the quota. */
export function enforceRateLimit(reply: FastifyReply, state: RateLimitState | undefined): void {
  // Nothing counted (the store is down and the limit fails open): nothing to report or refuse.
  if (!state) return;
  writeRateLimitFields(reply, [state]);
  if (state.blocked) throw tooManyRequests(state);
}

/**
 * The one 429 (RFC 6585 §4), with Retry-After (RFC 9110 §10.2.3) in whole seconds, rounded up and at
 * least 1, so a client that waits that long is not refused again for the same window.
 */
export function tooManyRequests({ policy, resetMs }: Pick<RateLimitState, 'policy' | 'resetMs'>): ProblemException {
  const seconds = Math.max(1, Math.ceil(resetMs / 1000));
  return new ProblemException(429, policy.refusal(seconds), { 'Retry-After': String(seconds) });
}

function append(reply: FastifyReply, name: string, value: string): void {
  const existing = reply.getHeader(name);
  void reply.header(name, existing ? `${String(existing)}, ${value}` : value);
}
