import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { writeRateLimitFields } from './rate-limit-fields';
import type { RateLimitState } from './rate-limiter';

/**
 * How a service that counts a limit (login, token) reports where the limit stands, whatever the outcome (a
 * success, a 401, a 429): it stays free of HTTP, and the RateLimit fields are still written in one place.
 */
export type RateLimitReport = (states: RateLimitState[]) => void;

/** `@ReportRateLimits() report: RateLimitReport`: reports to the RateLimit fields of this request's response. */
export const ReportRateLimits = createParamDecorator((_data: unknown, context: ExecutionContext): RateLimitReport => {
  const reply = context.switchToHttp().getResponse<FastifyReply>();
  return (states) => writeRateLimitFields(reply, states);
});
