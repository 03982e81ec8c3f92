import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../security/public.decorator';
import { NotRateLimited } from '../throttling/not-rate-limited.decorator';

export class HealthResponse {
  status: 'ok';
}

/**
 * Liveness says the process runs; readiness says its dependencies answer. Neither body names a
 * version, host or error: a failed readiness check is a bare 503 problem (API.md, Health).
 */
@ApiTags('health')
@Public()
@NotRateLimited()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  @Get('live')
  @ApiOkResponse({ type: HealthResponse })
  live(): HealthResponse {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOkResponse({ type: HealthResponse })
  async ready(): Promise<HealthResponse> {
    await this.health.check([() => this.database.pingCheck('database', { timeout: 2000 })]);
    return { status: 'ok' };
  }
}
