import { Module } from '@nestjs/common';
import { REFUSED_CREDENTIAL_LIMIT } from '../security/refused-credential-limit';
import { HitCounterModule } from './hit-counter.module';
import { RateLimiter } from './rate-limiter';
import { RefusedCredentials } from './refused-credentials';

/**
 * The one RateLimiter (general, login and token limits), and the count of refused credentials (used
 * by the AuthenticationGuard). The general guards themselves are registered in AppModule, where the
 * order of all global guards is visible in one place.
 */
@Module({
  imports: [HitCounterModule],
  providers: [RateLimiter, RefusedCredentials, { provide: REFUSED_CREDENTIAL_LIMIT, useExisting: RefusedCredentials }],
  exports: [RateLimiter, REFUSED_CREDENTIAL_LIMIT],
})
export class RateLimitModule {}
