import { ApiProperty } from '@nestjs/swagger';
import { Expose, Type } from 'class-transformer';
import { CURRENCY, MAX_PRICE_CENTS, MONEY } from '../products/dto/create-product.dto';
import { ORDER_STATUSES, OrderStatus } from './order-status';

/** 50 lines of 100 at the highest price: far inside int64 (and JavaScript's safe integers). */
const TOTAL = { type: 'integer', format: 'int64', minimum: 0, maximum: 50 * 100 * MAX_PRICE_CENTS } as const;

export class OrderLineResponse {
  @ApiProperty({ format: 'uuid' }) @Expose() productId: string;
  @ApiProperty({ maxLength: 64 }) @Expose() sku: string;
  @ApiProperty({ maxLength: 200 }) @Expose() name: string;
  @ApiProperty(MONEY) @Expose() unitPriceCents: number;
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 100 }) @Expose() quantity: number;
  @ApiProperty(TOTAL) @Expose() lineTotalCents: number;
}

/** The customer's view of an order. Fraud score and internal notes are never exposed. */
export class OrderResponse {
  @ApiProperty({ format: 'uuid' }) @Expose() id: string;
  @ApiProperty({ enum: ORDER_STATUSES }) @Expose() status: OrderStatus;

  @ApiProperty({ type: [OrderLineResponse], minItems: 1, maxItems: 50 })
  @Expose()
  @Type(() => OrderLineResponse)
  items: OrderLineResponse[];

  @ApiProperty(TOTAL) @Expose() totalCents: number;
  @ApiProperty(CURRENCY) @Expose() currency: string;
  @ApiProperty() @Expose() createdAt: Date;
  @ApiProperty() @Expose() updatedAt: Date;
}

/** What admins and service clients see: the customer view plus the owner. */
export class AdminOrderResponse extends OrderResponse {
  @ApiProperty({ format: 'uuid' }) @Expose() userId: string;
}

/**
 * What `PATCH /orders/:id/status` answers a caller with `orders:fulfil` but not `orders:read` (a
 * fulfilment service): that the move happened, and nothing of the order's contents or owner, which
 * only `orders:read` may see (docs/decisions/0011).
 */
export class OrderStatusResponse {
  @ApiProperty({ format: 'uuid' }) @Expose() id: string;
  @ApiProperty({ enum: ORDER_STATUSES }) @Expose() status: OrderStatus;
  @ApiProperty() @Expose() updatedAt: Date;
}
