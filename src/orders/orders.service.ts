import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AuditActor } from '../audit/audit-actor.decorator';
import { AuditService } from '../audit/audit.service';
import { ProblemException } from '../common/http/problem.exception';
import { PlaceOrderDto } from './dto/place-order.dto';
import { IdempotencyKey } from './idempotency-key.entity';
import { assertDistinctProducts, priceOrder } from './order-pricing';
import { canMoveTo, OrderStatus } from './order-status';
import { Order } from './order.entity';
import { adjustStock, lockProducts } from './stock';

export interface PlacedOrder {
  order: Order;
  /** True when an earlier request with the same Idempotency-Key already placed this order. */
  replayed: boolean;
}

/** Narrows a lookup to one owner's orders; `undefined` means the caller may see every order. */
export type OwnerScope = string | undefined;

@Injectable()
export class OrdersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Places an order all-or-nothing: stock, order and lines commit together or not at all. */
  async place(userId: string, input: PlaceOrderDto, actor: AuditActor, idempotencyKey?: string): Promise<PlacedOrder> {
    assertDistinctProducts(input.items);
    return this.dataSource.transaction(async (manager) => {
      if (idempotencyKey !== undefined) {
        const earlier = await claimIdempotencyKey(manager, userId, idempotencyKey, requestHash(input));
        if (earlier) return { order: await this.findWith(manager, earlier, userId), replayed: true };
      }
      const products = await lockProducts(manager, input.items.map((item) => item.productId));
      const priced = priceOrder(input.items, products);
      await adjustStock(manager, priced.lines, -1);
      const order = await manager.save(
        manager.create(Order, { userId, status: 'pending', currency: priced.currency, totalCents: priced.totalCents, items: priced.lines }),
      );
      if (idempotencyKey !== undefined) {
        await manager.update(IdempotencyKey, { userId, key: idempotencyKey }, { orderId: order.id });
      }
      await this.audit.record({ ...actor, action: 'order.place', targetType: 'order', targetId: order.id, outcome: 'success' }, manager);
      return { order: await this.findWith(manager, order.id, userId), replayed: false };
    });
  }

  /** One order, if it exists and is in the owner scope; not the caller's is the same as absent. */
  async find(orderId: string, owner: OwnerScope): Promise<Order | null> {
    return loadOrder(this.dataSource.manager, orderId, owner);
  }

  /** A page of orders, newest first, within the owner scope (and an optional filter). */
  async list(owner: OwnerScope, filter: { status?: OrderStatus; userId?: string; limit: number; offset: number }): Promise<{ rows: Order[]; total: number }> {
    const where = {
      ...(owner === undefined ? (filter.userId ? { userId: filter.userId } : {}) : { userId: owner }),
      ...(filter.status ? { status: filter.status } : {}),
    };
    const [rows, total] = await this.dataSource.manager.findAndCount(Order, {
      where,
      relations: { items: true },
      order: { createdAt: 'DESC', id: 'ASC', items: { lineNo: 'ASC' } },
      take: filter.limit,
      skip: filter.offset,
    });
    return { rows, total };
  }

  /** Cancels from pending or paid and gives the stock back, in one transaction. */
  async cancel(orderId: string, owner: OwnerScope, actor: AuditActor): Promise<Order> {
    return this.transition(orderId, owner, 'cancelled', actor);
  }

  /**
   * Moves an order one step along pending → paid → shipped → delivered. `mayReadOrder`: whether the
   * caller may learn the current status from a refused move (with `orders:read` only).
   */
  async changeStatus(orderId: string, status: OrderStatus, actor: AuditActor, mayReadOrder: boolean): Promise<Order> {
    if (status === 'cancelled') throw new ProblemException(409, 'Use POST /api/v1/orders/:id/cancel to cancel an order');
    return this.transition(orderId, undefined, status, actor, mayReadOrder);
  }

  private async transition(orderId: string, owner: OwnerScope, to: OrderStatus, actor: AuditActor, mayReadOrder = true): Promise<Order> {
    return this.dataSource.transaction(async (manager) => {
      // Row lock: two concurrent cancels cannot both give the stock back.
      const locked = await manager
        .createQueryBuilder(Order, 'o')
        .setLock('pessimistic_write')
        .where('o.id = :orderId', { orderId })
        .andWhere(owner === undefined ? '1=1' : 'o.user_id = :owner', { owner })
        .getOne();
      if (!locked) throw new ProblemException(404, 'Order not found');
      if (!canMoveTo(locked.status, to)) {
        throw new ProblemException(409, mayReadOrder ? `An order cannot move from ${locked.status} to ${to}` : `This order cannot move to ${to} now`);
      }
      if (to === 'cancelled') {
        const order = await this.findWith(manager, orderId, owner);
        await lockProducts(manager, order.items.map((line) => line.productId));
        await adjustStock(manager, order.items, 1);
      }
      await manager.update(Order, { id: orderId }, { status: to });
      const action = to === 'cancelled' ? 'order.cancel' : 'order.status_change';
      await this.audit.record({ ...actor, action, targetType: 'order', targetId: orderId, outcome: 'success' }, manager);
      return this.findWith(manager, orderId, owner);
    });
  }

  private async findWith(manager: EntityManager, orderId: string, owner: OwnerScope): Promise<Order> {
    const order = await loadOrder(manager, orderId, owner);
    if (!order) throw new ProblemException(404, 'Order not found');
    return order;
  }
}

function loadOrder(manager: EntityManager, orderId: string, owner: OwnerScope): Promise<Order | null> {
  // One query (findOne with a relation would run two). Ownership is part of the query itself, so a
  // forgotten check elsewhere cannot leak a row.
  const query = manager
    .createQueryBuilder(Order, 'o')
    .leftJoinAndSelect('o.items', 'i')
    .where('o.id = :orderId', { orderId })
    .orderBy('i.lineNo', 'ASC');
  if (owner !== undefined) query.andWhere('o.userId = :owner', { owner });
  return query.getOne();
}

/**
 * Records the key before the order is placed. Returns the earlier order's id on a replay; throws
 * 422 when the key was used with another body. A concurrent request with the same key waits on
 * the primary key until this transaction ends, then sees the committed row (or claims the key
 * itself, if this one rolled back).
 */
async function claimIdempotencyKey(manager: EntityManager, userId: string, key: string, hash: string): Promise<string | undefined> {
  // "Keys are kept at least 24 hours" (docs/http-contract.md): older ones may be claimed again.
  await manager.query(`DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND created_at < now() - interval '24 hours'`, [userId, key]);
  const inserted: unknown[] = await manager.query(
    `INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key`,
    [userId, key, hash],
  );
  if (inserted.length > 0) return undefined;
  const earlier = await manager.findOneByOrFail(IdempotencyKey, { userId, key });
  if (earlier.requestHash !== hash || !earlier.orderId) {
    throw new ProblemException(422, 'This Idempotency-Key was already used with a different request');
  }
  return earlier.orderId;
}

function requestHash(input: PlaceOrderDto): string {
  const canonical = JSON.stringify(input.items.map((item) => [item.productId.toLowerCase(), item.quantity]));
  return createHash('sha256').update(canonical).digest('hex');
}
