import { SetMetadata } from '@nestjs/common';

export const NOT_RATE_LIMITED = 'rateLimit:exempt';

/**
 * Exempts a route or controller from every general rate limit (e.g. health probes, which
 * orchestrators call at their own pace and which do no work worth protecting).
 */
export const NotRateLimited = (): MethodDecorator & ClassDecorator => SetMetadata(NOT_RATE_LIMITED, true);
