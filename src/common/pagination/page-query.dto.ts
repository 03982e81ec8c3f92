import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export const PAGE_LIMIT_MAX = 100;
export const MAX_OFFSET = 10_000;

/** `?limit=` (1..100, default 20) and `?offset=` (0..10000, default 0): docs/http-contract.md, General rules. */
export class PageQuery {
  // `type` is spelled out: a property typed only by its initializer has no design type for the generator.
  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 1, maximum: PAGE_LIMIT_MAX, default: 20 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_LIMIT_MAX)
  limit = 20;

  // A cap on offset keeps deep pagination from becoming a full scan (OWASP API4).
  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_OFFSET, default: 0 })
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset = 0;
}
