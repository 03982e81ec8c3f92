import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { HIT_COUNTER, HitCounterModule } from './hit-counter.module';
import { rateLimitOptions } from './rate-limit.options';

/**
 * The general rate limits. The guards themselves are registered in AppModule, where the order of
 * all global guards is visible in one place.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({ imports: [HitCounterModule], inject: [AppConfig, HIT_COUNTER], useFactory: rateLimitOptions }),
  ],
})
export class RateLimitModule {}
