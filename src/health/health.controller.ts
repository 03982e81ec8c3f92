import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { ApiProbe, ApiProblem } from '../common/openapi/api-problems.decorator';
import { Drain } from '../common/http/drain';
import { REDIS_CLIENT } from '../redis/redis.module';
import { Public } from '../security/public.decorator';
import { NotRateLimited } from '../throttling/not-rate-limited.decorator';

export class HealthResponse {
  @ApiProperty({ enum: ['ok'] })
  status: 'ok';
}

/**
 * Liveness says the process runs; readiness says its dependencies answer. Neither body names a
 * version, host or error: a failed readiness check is a bare 503 problem (docs/http-contract.md, Health).
 */
@ApiTags('health')
@ApiProbe()
@Public()
@NotRateLimited()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    private readonly drain: Drain,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process runs' })
  @ApiOkResponse({ type: HealthResponse })
  live(): HealthResponse {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database and Redis answer' })
  @ApiOkResponse({ type: HealthResponse })
  @ApiProblem(503, 'The database or Redis does not answer, or the service is shutting down')
  async ready(): Promise<HealthResponse> {
    // Shutting down: the first thing to say, so that no load balancer sends anything more.
    if (this.drain.draining) throw new ServiceUnavailableException();
    await this.health.check([() => this.database.pingCheck('database', { timeout: 2000 }), ...(this.redis ? [() => this.pingRedis(this.redis!)] : [])]);
    return { status: 'ok' };
  }

  private async pingRedis(redis: Redis) {
    const indicator = this.indicators.check('redis');
    // The client's own command timeout bounds this; any failure is just "down".
    return redis.ping().then(
      () => indicator.up(),
      () => indicator.down(),
    );
  }
}
