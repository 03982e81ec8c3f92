import { ApiProperty } from '@nestjs/swagger';
import { Expose, Transform } from 'class-transformer';

/** The public view of a product. `stock` and `costCents` stay server-side (API.md, Products). */
export class ProductResponse {
  @ApiProperty({ format: 'uuid' }) @Expose() id: string;
  @ApiProperty() @Expose() sku: string;
  @ApiProperty() @Expose() name: string;
  @ApiProperty() @Expose() description: string;
  @ApiProperty() @Expose() priceCents: number;
  @ApiProperty() @Expose() currency: string;

  @ApiProperty()
  @Expose()
  @Transform(({ obj }: { obj: { stock: number } }) => obj.stock > 0)
  inStock: boolean;
}

/** What admins and `products:write` clients see: a separate class, not a conditional. */
export class AdminProductResponse extends ProductResponse {
  @ApiProperty() @Expose() stock: number;
  @ApiProperty({ nullable: true, type: Number }) @Expose() costCents: number | null;
  @ApiProperty() @Expose() active: boolean;
}
