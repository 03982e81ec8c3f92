import { randomUUID } from 'node:crypto';

/** Anything that runs SQL the way `pg` does (a Pool, or a wrapped TypeORM DataSource in the embedded suite). */
export interface Sql {
  query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

/** Product ids and the stock each one started with: the opening balance of the books. */
export type OpeningStock = Map<string, number>;

/** Products straight in the database (as fixtures.ts does through TypeORM), all in EUR. */
export async function insertProducts(db: Sql, stocks: number[]): Promise<OpeningStock> {
  const opening: OpeningStock = new Map();
  for (const stock of stocks) {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO products (sku, name, price_cents, currency, stock) VALUES ($1, 'Load test product', 500, 'EUR', $2) RETURNING id`,
      [`SKU-${randomUUID().slice(0, 8)}`, stock],
    );
    opening.set(rows[0].id, stock);
  }
  return opening;
}

/**
 * Everything that would mean an order was half-written or stock was taken twice or lost, as
 * readable lines (an empty list means the books balance):
 * - for each product, opening stock = current stock + quantities in live (not cancelled) orders;
 * - no stock below zero;
 * - every order has lines, and its total is the sum of its lines.
 */
export async function unbalancedBooks(db: Sql, opening: OpeningStock): Promise<string[]> {
  // Sums are cast to plain integers or text: drivers differ in how they return bigint and numeric.
  const { rows: products } = await db.query<{ id: string; stock: number; live: number }>(
    `SELECT p.id, p.stock,
            COALESCE((SELECT sum(l.quantity) FROM order_lines l JOIN orders o ON o.id = l.order_id
                       WHERE l.product_id = p.id AND o.status <> 'cancelled'), 0)::int AS live
       FROM products p WHERE p.id = ANY($1::uuid[])`,
    [[...opening.keys()]],
  );
  const problems = products.flatMap(({ id, stock, live }) => [
    ...(stock < 0 ? [`product ${id}: negative stock ${stock}`] : []),
    ...(stock + live !== opening.get(id) ? [`product ${id}: opened with ${opening.get(id)}, now ${stock} in stock + ${live} in live orders`] : []),
  ]);
  const { rows: orders } = await db.query<{ id: string; lines: number; total: string; line_sum: string | null }>(
    `SELECT o.id, count(l.id)::int AS lines, o.total_cents::text AS total, sum(l.line_total_cents)::text AS line_sum
       FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id GROUP BY o.id`,
  );
  for (const order of orders) {
    if (order.lines === 0) problems.push(`order ${order.id}: no lines`);
    else if (order.total !== order.line_sum) problems.push(`order ${order.id}: total ${order.total} but lines sum to ${order.line_sum}`);
  }
  return problems;
}

/**
 * Compares the orders the clients were told about (each `201`) with the orders in the database:
 * none told twice, none told but missing, none stored but never told. Returns readable lines.
 */
export async function unaccountedOrders(db: Sql, answeredIds: string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(`SELECT id FROM orders`);
  const stored = new Set(rows.map((row) => row.id));
  const answered = new Set(answeredIds);
  return [
    ...(answered.size !== answeredIds.length ? [`${answeredIds.length - answered.size} order ids were answered more than once`] : []),
    ...[...answered].filter((id) => !stored.has(id)).map((id) => `order ${id}: answered 201 but not stored`),
    ...[...stored].filter((id) => !answered.has(id)).map((id) => `order ${id}: stored but never answered 201`),
  ];
}
