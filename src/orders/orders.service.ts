import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditActor } from '../audit/audit-actor.decorator';
import { AuditService } from '../audit/audit.service';
import { ProblemException } from '../common/http/problem.exception';
import { sha256Hex } from '../common/sha256';
import { SqlParameters } from '../database/sql-parameters';
import { ProductsRepository } from '../products/products.repository';
import { PlaceOrderDto } from './dto/place-order.dto';
import { IdempotencyKeysRepository } from './idempotency-keys.repository';
import { assertDistinctProducts, priceOrder } from './order-pricing';
import { canMoveTo, OrderStatus } from './order-status';
import { Order } from './order.entity';
import { OrdersRepository, OwnerScope } from './orders.repository';

export interface PlacedOrder {
  order: Order;
  /** True when an earlier request with the same Idempotency-Key already placed this order. */
  replayed: boolean;
}

@Injectable()
export class OrdersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
    private readonly idempotencyKeys: IdempotencyKeysRepository,
    private readonly products: ProductsRepository,
    private readonly audit: AuditService,
  ) {}

  /**
   * Places an order all-or-nothing: stock, order and lines commit together or not at all. Four round
   * trips to Postgres without an Idempotency-Key: BEGIN, the lock, one write, COMMIT.
   */
  async place(userId: string, input: PlaceOrderDto, actor: AuditActor, idempotencyKey?: string): Promise<PlacedOrder> {
    assertDistinctProducts(input.items);
    return this.dataSource.transaction(async (manager) => {
      if (idempotencyKey !== undefined) {
        const earlier = await this.claimIdempotencyKey(manager, userId, idempotencyKey, requestHash(input));
        if (earlier) return { order: await this.findWith(manager, earlier, userId), replayed: true };
      }
      // Round trip 2: the products' rows, locked until COMMIT, so the stock read is the stock taken.
      const products = await this.products.lockForOrder(
        input.items.map((item) => item.productId),
        manager,
      );
      const priced = priceOrder(input.items, products);
      // Round trip 3: the order, its lines, its stock, its audit event (and its idempotency key), in one statement.
      const orderId = randomUUID();
      const params = new SqlParameters();
      const statements = [
        this.products.stockChange(priced.lines, -1, params),
        this.audit.insertion({ ...actor, action: 'order.place', targetType: 'order', targetId: orderId, outcome: 'success' }, params),
        ...(idempotencyKey === undefined ? [] : [this.idempotencyKeys.orderAttachment(userId, idempotencyKey, orderId, params)]),
      ];
      const order = await this.orders.insert(
        { id: orderId, userId, status: 'pending', currency: priced.currency, totalCents: priced.totalCents },
        priced.lines,
        { params, statements },
        manager,
      );
      return { order, replayed: false };
    });
  }

  /** A page of orders, newest first, within the owner scope (and an optional filter). */
  async list(owner: OwnerScope, filter: { status?: OrderStatus; userId?: string; limit: number; offset: number }): Promise<{ rows: Order[]; total: number }> {
    const [rows, total] = await this.orders.page(owner, filter);
    return { rows, total };
  }

  /** Cancels from pending or paid and gives the stock back, in one transaction. */
  async cancel(order: Order, owner: OwnerScope, actor: AuditActor): Promise<Order> {
    return this.transition(order, owner, 'cancelled', actor);
  }

  /**
   * Moves an order one step along pending → paid → shipped → delivered. `mayReadOrder`: whether the
   * caller may learn the current status from a refused move (with `orders:read` only).
   */
  async changeStatus(order: Order, status: OrderStatus, actor: AuditActor, mayReadOrder: boolean): Promise<Order> {
    if (status === 'cancelled') throw new ProblemException(409, 'Use POST /api/v1/orders/:id/cancel to cancel an order');
    return this.transition(order, undefined, status, actor, mayReadOrder);
  }

  /**
   * `order` is the order as the route's policy loaded it, with its lines: the one read of the whole
   * order. Only its status can have changed since, so the status alone is read again, under the row
   * lock: two concurrent cancels cannot both give the stock back (the second waits for the first,
   * then reads `cancelled`). The lines are a snapshot that never changes after the order is placed,
   * so the stock given back is the policy's lines; the answer is that order with the status and the
   * update time the UPDATE wrote.
   */
  private async transition(order: Order, owner: OwnerScope, to: OrderStatus, actor: AuditActor, mayReadOrder = true): Promise<Order> {
    return this.dataSource.transaction(async (manager) => {
      const status = await this.orders.lockStatus(order.id, owner, manager);
      if (!status) throw new ProblemException(404, 'Order not found');
      if (!canMoveTo(status, to)) {
        throw new ProblemException(409, mayReadOrder ? `An order cannot move from ${status} to ${to}` : `This order cannot move to ${to} now`);
      }
      if (to === 'cancelled') {
        await this.products.lockForOrder(
          order.items.map((line) => line.productId),
          manager,
        );
        await this.products.adjustStock(order.items, 1, manager);
      }
      const updatedAt = await this.orders.setStatus(order.id, to, manager);
      const action = to === 'cancelled' ? 'order.cancel' : 'order.status_change';
      await this.audit.record({ ...actor, action, targetType: 'order', targetId: order.id, outcome: 'success' }, manager);
      return { ...order, status: to, updatedAt };
    });
  }

  private async findWith(manager: EntityManager, orderId: string, owner: OwnerScope): Promise<Order> {
    const order = await this.orders.find(orderId, owner, manager);
    if (!order) throw new ProblemException(404, 'Order not found');
    return order;
  }

  /**
   * Records the key before the order is placed. Returns the earlier order's id on a replay; throws
   * 422 when the key was used with another body. A concurrent request with the same key waits on
   * the primary key until this transaction ends, then sees the committed row (or claims the key
   * itself, if this one rolled back).
   */
  private async claimIdempotencyKey(manager: EntityManager, userId: string, key: string, hash: string): Promise<string | undefined> {
    await this.idempotencyKeys.forgetExpired(userId, key, manager);
    if (await this.idempotencyKeys.insertIfAbsent(userId, key, hash, manager)) return undefined;
    const earlier = await this.idempotencyKeys.get(userId, key, manager);
    if (earlier.requestHash !== hash || !earlier.orderId) {
      throw new ProblemException(422, 'This Idempotency-Key was already used with a different request');
    }
    return earlier.orderId;
  }
}

function requestHash(input: PlaceOrderDto): string {
  const canonical = JSON.stringify(input.items.map((item) => [item.productId.toLowerCase(), item.quantity]));
  return sha256Hex(canonical);
}
