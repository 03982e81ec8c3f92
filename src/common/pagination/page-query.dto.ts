import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** `?limit=` (1..100, default 20) and `?offset=` (0..10000, default 0): API.md, General rules. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;

  // A cap on offset keeps deep pagination from becoming a full scan (OWASP API4).
  @ApiPropertyOptional({ minimum: 0, maximum: 10000, default: 0 })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10000)
  offset = 0;
}
