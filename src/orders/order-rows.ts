import { OrderLine } from './order-line.entity';
import { OrderStatus } from './order-status';
import { Order } from './order.entity';

/**
 * An order and its lines in one statement: one row per line (an order always has at least one),
 * in line order. Ownership is part of the statement, so a forgotten check elsewhere cannot leak a
 * row (OWASP API1).
 */
export const FIND_ORDER = `
  SELECT o.id, o.user_id, o.status, o.total_cents, o.currency, o.fraud_score, o.internal_notes, o.created_at, o.updated_at,
         l.id AS line_id, l.line_no, l.product_id, l.sku, l.name, l.unit_price_cents, l.quantity, l.line_total_cents
  FROM orders o
  JOIN order_lines l ON l.order_id = o.id
  WHERE o.id = $1 AND ($2::uuid IS NULL OR o.user_id = $2::uuid)
  ORDER BY l.line_no`;

/** A row of FIND_ORDER as the driver returns it: `bigint` as a string, `timestamptz` as a Date. */
export interface OrderRow {
  id: string;
  user_id: string;
  status: OrderStatus;
  total_cents: string | number;
  currency: string;
  fraud_score: number | null;
  internal_notes: string | null;
  created_at: Date | string;
  updated_at: Date | string;
  line_id: string;
  line_no: number;
  product_id: string;
  sku: string;
  name: string;
  unit_price_cents: number;
  quantity: number;
  line_total_cents: string | number;
}

/** The entity TypeORM would have built from these rows, with the same types as its column transformers give. */
export function orderFromRows(rows: OrderRow[]): Order {
  const [first] = rows;
  return Object.assign(new Order(), {
    id: first.id,
    userId: first.user_id,
    status: first.status,
    // bigint: exact as a number, since the DTO limits keep totals far below 2^53 (column-transformers.ts).
    totalCents: Number(first.total_cents),
    currency: first.currency,
    fraudScore: first.fraud_score,
    internalNotes: first.internal_notes,
    createdAt: new Date(first.created_at),
    updatedAt: new Date(first.updated_at),
    items: rows.map((row) =>
      Object.assign(new OrderLine(), {
        id: row.line_id,
        lineNo: row.line_no,
        productId: row.product_id,
        sku: row.sku,
        name: row.name,
        unitPriceCents: row.unit_price_cents,
        quantity: row.quantity,
        lineTotalCents: Number(row.line_total_cents),
      }),
    ),
  });
}
