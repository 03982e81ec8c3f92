import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AlongsideWrites } from '../database/sql-parameters';
import { PricedLine } from './order-pricing';
import { OrderStatus } from './order-status';
import { Order } from './order.entity';
import { OrderLine } from './order-line.entity';
import { FIND_ORDER, orderFromRows, OrderRow } from './order-rows';

/** What a new order is made of; the database adds its times. */
export type NewOrder = Pick<Order, 'id' | 'userId' | 'status' | 'currency' | 'totalCents'>;

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

  /**
   * A new order and its lines, in one statement (a data-modifying CTE) together with `alongside`,
   * the writes that must commit with it (its stock, its audit event): one round trip instead of one
   * per table. Every part of a WITH runs whether or not the final SELECT reads it, on the same
   * snapshot, and the lines' foreign key to the order is checked at the end of the statement.
   * Returns the order as inserted, with the times and ids the database gave it.
   */
  async insert(order: NewOrder, lines: PricedLine[], alongside: AlongsideWrites, manager: EntityManager): Promise<Order> {
    const { params } = alongside;
    const id = params.add(order.id);
    const placed = `INSERT INTO orders (id, user_id, status, currency, total_cents)
        VALUES (${id}, ${params.add(order.userId)}, ${params.add(order.status)}, ${params.add(order.currency)}, ${params.add(order.totalCents)})
        RETURNING created_at, updated_at`;
    const column = <K extends keyof PricedLine>(key: K, type: string) => `${params.add(lines.map((line) => line[key]))}::${type}[]`;
    const placedLines = `INSERT INTO order_lines (order_id, line_no, product_id, sku, name, unit_price_cents, quantity, line_total_cents)
        SELECT ${id}::uuid, * FROM unnest(${column('lineNo', 'int')}, ${column('productId', 'uuid')}, ${column('sku', 'varchar')},
          ${column('name', 'varchar')}, ${column('unitPriceCents', 'int')}, ${column('quantity', 'int')}, ${column('lineTotalCents', 'bigint')})
        RETURNING id, line_no`;
    const parts = [
      ...alongside.statements.map((statement, index) => `alongside_${index} AS (${statement})`),
      `placed AS (${placed})`,
      `placed_lines AS (${placedLines})`,
    ];
    const [row] = await manager.query<Array<{ created_at: Date | string; updated_at: Date | string; line_ids: string[] }>>(
      `WITH ${parts.join(',\n')}
       SELECT created_at, updated_at, (SELECT array_agg(id ORDER BY line_no) FROM placed_lines) AS line_ids FROM placed`,
      params.values,
    );
    return Object.assign(new Order(), {
      ...order,
      fraudScore: null,
      internalNotes: null,
      createdAt: new Date(row.created_at),
      updatedAt: new Date(row.updated_at),
      items: lines.map((line, index) => Object.assign(new OrderLine(), { ...line, id: row.line_ids[index] })),
    });
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
