import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

/**
 * The body of a rotation (an API key's, a client secret's): how long the old credential keeps
 * working beside the new one, so clients can switch over without downtime (0 ends it at once).
 */
export class GracePeriodDto {
  // `type` is spelled out: a property typed only by its initializer has no design type for the generator.
  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 0, maximum: 168, default: 24 })
  @IsInt()
  @Min(0)
  @Max(168)
  graceHours = 24;
}
