import { ApiProperty } from '@nestjs/swagger';
import { Expose, Transform } from 'class-transformer';
import { CURRENCY, MONEY, SKU_PATTERN, STOCK } from './dto/create-product.dto';

/** The public view of a product. `stock` and `costCents` stay server-side (docs/http-contract.md, Products). */
export class ProductResponse {
  @ApiProperty({ format: 'uuid' }) @Expose() id: string;
  @ApiProperty({ maxLength: 64, pattern: SKU_PATTERN.source }) @Expose() sku: string;
  @ApiProperty({ maxLength: 200 }) @Expose() name: string;
  @ApiProperty({ maxLength: 2000 }) @Expose() description: string;
  @ApiProperty(MONEY) @Expose() priceCents: number;
  @ApiProperty(CURRENCY) @Expose() currency: string;

  @ApiProperty()
  @Expose()
  @Transform(({ obj }: { obj: { stock: number } }) => obj.stock > 0)
  inStock: boolean;
}

/** What admins and `products:write` clients see: a separate class, not a conditional. */
export class AdminProductResponse extends ProductResponse {
  @ApiProperty(STOCK) @Expose() stock: number;
  @ApiProperty({ ...MONEY, nullable: true }) @Expose() costCents: number | null;
  @ApiProperty() @Expose() active: boolean;
}
