import { Module } from '@nestjs/common';
import { REFUSED_CREDENTIAL_LIMIT } from '../security/refused-credential-limit';
import { HitCounterModule } from './hit-counter.module';
import { PrincipalQuota } from './principal-quota';
import { RateLimiter } from './rate-limiter';
import { RefusedCredentials } from './refused-credentials';

/**
 * The one RateLimiter (general, login and token limits), the count of refused credentials (used
 * by the AuthenticationGuard), and the principals' charges (the general guards, and the access-token strategy
 * that pays them in its own round trip). The general guards themselves are registered in AppModule, where the
 * order of all global guards is visible in one place.
 */
@Module({
  imports: [HitCounterModule],
  providers: [RateLimiter, PrincipalQuota, RefusedCredentials, { provide: REFUSED_CREDENTIAL_LIMIT, useExisting: RefusedCredentials }],
  exports: [RateLimiter, PrincipalQuota, REFUSED_CREDENTIAL_LIMIT],
})
export class RateLimitModule {}
