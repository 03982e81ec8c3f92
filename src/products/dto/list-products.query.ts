import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../../common/pagination/page-query.dto';

export class ListProductsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Case-insensitive search in product names', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q?: string;
}
