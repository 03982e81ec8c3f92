import { ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { Optional } from '../../common/validation/optional.decorator';
import { CreateProductDto } from './create-product.dto';

/**
 * Every field of a product, all optional, plus `active` (docs/http-contract.md, Products). `skipNullProperties:
 * false`: a field sent as null is validated, not skipped (see Optional()).
 */
export class UpdateProductDto extends PartialType(CreateProductDto, { skipNullProperties: false }) {
  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  active?: boolean;
}
