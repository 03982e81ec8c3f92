import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { REFUSED_CREDENTIAL_LIMIT } from '../security/refused-credential-limit';
import { HIT_COUNTER, HitCounterModule } from './hit-counter.module';
import { rateLimitOptions } from './rate-limit.options';
import { RefusedCredentials } from './refused-credentials';

/**
 * The general rate limits, and the count of refused credentials (used by the AuthenticationGuard).
 * The guards themselves are registered in AppModule, where the order of
 * all global guards is visible in one place.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({ imports: [HitCounterModule], inject: [AppConfig, HIT_COUNTER], useFactory: rateLimitOptions }),
  ],
  providers: [RefusedCredentials, { provide: REFUSED_CREDENTIAL_LIMIT, useExisting: RefusedCredentials }],
  exports: [REFUSED_CREDENTIAL_LIMIT],
})
export class RateLimitModule {}
