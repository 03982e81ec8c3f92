import { ApiProperty } from '@nestjs/swagger';
import { Expose, Type } from 'class-transformer';
import { ORDER_STATUSES, OrderStatus } from './order-status';

export class OrderLineResponse {
  @ApiProperty({ format: 'uuid' }) @Expose() productId: string;
  @ApiProperty() @Expose() sku: string;
  @ApiProperty() @Expose() name: string;
  @ApiProperty() @Expose() unitPriceCents: number;
  @ApiProperty() @Expose() quantity: number;
  @ApiProperty() @Expose() lineTotalCents: number;
}

/** The customer's view of an order. Fraud score and internal notes are never exposed. */
export class OrderResponse {
  @ApiProperty({ format: 'uuid' }) @Expose() id: string;
  @ApiProperty({ enum: ORDER_STATUSES }) @Expose() status: OrderStatus;

  @ApiProperty({ type: [OrderLineResponse] })
  @Expose()
  @Type(() => OrderLineResponse)
  items: OrderLineResponse[];

  @ApiProperty() @Expose() totalCents: number;
  @ApiProperty() @Expose() currency: string;
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
