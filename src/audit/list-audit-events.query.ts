import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../common/pagination/page-query.dto';

export class ListAuditEventsQuery extends PageQuery {
  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  actorId?: string;

  @ApiPropertyOptional({ example: 'auth.login', maxLength: 64, pattern: '^[a-z_]+(\\.[a-z_]+)*$' })
  @IsOptional()
  @Matches(/^[a-z_]+(\.[a-z_]+)*$/, { message: 'action must look like auth.login' })
  @MaxLength(64)
  action?: string;
}
