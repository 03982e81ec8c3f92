import type { FastifyReply } from 'fastify';
import { ProblemException } from '../common/http/problem.exception';
import { RateLimitSetting } from '../config/rate-limit-setting';
import { HitCount, HitPolicy } from './hit-counter';

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

/** A RATE_LIMIT_* setting as the HitCounter counts it. */
export function hitPolicy({ quota, windowSeconds }: RateLimitSetting): HitPolicy {
  return { limit: quota, windowMs: windowSeconds * 1000 };
}

/** Where a key's count stands against its setting, as the RateLimit fields report it. */
export function rateLimitState(policy: string, { quota, windowSeconds }: RateLimitSetting, count: HitCount): RateLimitState {
  return { policy, quota, windowSeconds, remaining: Math.max(0, quota - count.hits), resetSeconds: Math.ceil(count.resetMs / 1000) };
}

/**
 * `429` with Retry-After (RFC 6585 §4, RFC 9110 §10.2.3) in whole seconds, rounded up and at least 1,
 * so a client that waits that long is not refused again for the same window.
 */
export function tooManyRequests(detail: string, waitMs: number): ProblemException {
  return new ProblemException(429, detail, { 'Retry-After': String(retryAfterSeconds(waitMs)) });
}

export function retryAfterSeconds(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000));
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
