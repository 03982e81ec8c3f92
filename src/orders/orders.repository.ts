import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PricedLine } from './order-pricing';
import { OrderStatus } from './order-status';
import { Order } from './order.entity';
import { FIND_ORDER, orderFromRows, OrderRow } from './order-rows';

/** Narrows a lookup to one owner's orders; `undefined` means the caller may see every order. */
export type OwnerScope = string | undefined;

/**
 * The one owner of the `orders` table and of `order_lines`, which belong to their order: lines are
 * written with it, in one save, and never change after (a snapshot of the products as sold).
 * TypeORM's API and query builder with entity property names (`o.userId`, never `o.user_id`), except
 * for the hot read by id (order-rows.ts).
 * Ownership is part of every lookup by id, so a forgotten check elsewhere cannot leak a row.
 */
@Injectable()
export class OrdersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * One order with its lines, if it exists and is in the owner scope: the hot read of every order
   * route (its policy loads it), so one plain statement, hydrated by hand (orderFromRows), rather
   * than TypeORM's query builder, whose building and hydration were a fifth of the request's CPU
   * (bench, scenario 3). `$2` is null for a caller who may see every order.
   */
  async find(orderId: string, owner: OwnerScope, manager: EntityManager = this.dataSource.manager): Promise<Order | null> {
    const rows = await manager.query<OrderRow[]>(FIND_ORDER, [orderId, owner ?? null]);
    return rows.length === 0 ? null : orderFromRows(rows);
  }

  /** A page of orders with their lines, newest first, within the owner scope (and an optional filter). */
  page(owner: OwnerScope, filter: { status?: OrderStatus; userId?: string; limit: number; offset: number }): Promise<[Order[], number]> {
    const where = {
      ...(owner === undefined ? (filter.userId ? { userId: filter.userId } : {}) : { userId: owner }),
      ...(filter.status ? { status: filter.status } : {}),
    };
    return this.dataSource.manager.findAndCount(Order, {
      where,
      relations: { items: true },
      order: { createdAt: 'DESC', id: 'ASC', items: { lineNo: 'ASC' } },
      take: filter.limit,
      skip: filter.offset,
    });
  }

  /** A new order and its lines; returns its id. */
  async insert(order: Pick<Order, 'userId' | 'status' | 'currency' | 'totalCents'>, lines: PricedLine[], manager: EntityManager): Promise<string> {
    return (await manager.save(manager.create(Order, { ...order, items: lines }))).id;
  }

  /**
   * Locks the order's row for the rest of the caller's transaction (SELECT … FOR UPDATE) and reads
   * its status under the lock; null when it is not there or not in the owner scope.
   */
  async lockStatus(orderId: string, owner: OwnerScope, manager: EntityManager): Promise<OrderStatus | null> {
    const query = manager.createQueryBuilder(Order, 'o').select(['o.id', 'o.status']).setLock('pessimistic_write').where('o.id = :orderId', { orderId });
    if (owner !== undefined) query.andWhere('o.userId = :owner', { owner });
    return (await query.getOne())?.status ?? null;
  }

  /** Sets the status; returns the new update time, as the database wrote it. */
  async setStatus(orderId: string, status: OrderStatus, manager: EntityManager): Promise<Date> {
    const update = await manager.createQueryBuilder().update(Order).set({ status }).where({ id: orderId }).returning('updated_at').execute();
    const [row] = update.raw as Array<{ updated_at: Date | string }>;
    return new Date(row.updated_at);
  }
}
