import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Optional } from '../../common/validation/optional.decorator';

/** Money limits keep every total far inside JavaScript's safe integers and Postgres bigint. */
export const MAX_PRICE_CENTS = 100_000_000;
export const MAX_STOCK = 1_000_000;
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The same bounds in the OpenAPI document, for requests and responses alike. */
export const MONEY = { type: 'integer', format: 'int32', minimum: 0, maximum: MAX_PRICE_CENTS } as const;
export const STOCK = { type: 'integer', format: 'int32', minimum: 0, maximum: MAX_STOCK } as const;
export const CURRENCY = { example: 'EUR', pattern: '^[A-Z]{3}$', minLength: 3, maxLength: 3 } as const;

export class CreateProductDto {
  @ApiProperty({ example: 'MUG-001', maxLength: 64, pattern: SKU_PATTERN.source })
  @IsString()
  @Matches(SKU_PATTERN, { message: 'sku must be 1-64 letters, digits, dots, dashes or underscores' })
  sku: string;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @Optional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiProperty(MONEY)
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE_CENTS)
  priceCents: number;

  @ApiProperty(CURRENCY)
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a 3-letter ISO 4217 code' })
  currency: string;

  @ApiProperty(STOCK)
  @IsInt()
  @Min(0)
  @Max(MAX_STOCK)
  stock: number;

  @ApiPropertyOptional(MONEY)
  @Optional()
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE_CENTS)
  costCents?: number;
}
