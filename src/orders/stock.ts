import { EntityManager } from 'typeorm';
import { LockedProduct } from './order-pricing';

/**
 * Locks the named products' rows for the rest of the transaction, always in id order: two orders
 * that share products then queue for the locks instead of deadlocking, and neither can sell stock
 * the other already took (the second reads the stock only after the first commits).
 */
export async function lockProducts(manager: EntityManager, productIds: string[]): Promise<LockedProduct[]> {
  const ids = [...new Set(productIds.map((id) => id.toLowerCase()))].sort();
  return manager.query(
    `SELECT id, sku, name, price_cents, currency, stock, active
       FROM products WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    [ids],
  );
}

/** Adds `delta` (negative to take, positive to give back) to each product's stock, in one statement. */
export async function adjustStock(manager: EntityManager, lines: { productId: string; quantity: number }[], sign: 1 | -1): Promise<void> {
  await manager.query(
    `UPDATE products AS p SET stock = p.stock + v.delta, updated_at = now()
       FROM (SELECT unnest($1::uuid[]) AS id, unnest($2::int[]) AS delta) AS v
      WHERE p.id = v.id`,
    [lines.map((line) => line.productId), lines.map((line) => sign * line.quantity)],
  );
}
