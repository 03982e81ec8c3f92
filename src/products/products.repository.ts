import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Product } from './product.entity';
import { SqlParameters } from '../database/sql-parameters';

/** The product columns an order needs, read under a row lock (column names: a raw SQL row). */
export interface LockedProduct {
  id: string;
  sku: string;
  name: string;
  price_cents: number;
  currency: string;
  stock: number;
  active: boolean;
}

/** The columns a product's editors write; the database sets the rest. */
export type ProductFields = Pick<Product, 'sku' | 'name' | 'description' | 'priceCents' | 'currency' | 'stock' | 'costCents' | 'active'>;

/** A new product: the columns its editors must give, and any of the others. */
export type NewProduct = Omit<ProductFields, 'costCents' | 'active'> & Partial<ProductFields>;

/**
 * The one owner of the `products` table, the catalogue and its stock. TypeORM's API and query
 * builder with entity property names (`p.name`), except the two stock statements an order runs,
 * which are raw SQL naming columns: the row locks taken in id order, and one UPDATE for every line.
 */
/** A product and how many units of it an order takes or gives back. */
export interface StockLine {
  productId: string;
  quantity: number;
}

@Injectable()
export class ProductsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A page of active products by name, optionally those whose name contains `search`. */
  async pageActive(query: { search?: string; limit: number; offset: number }): Promise<[Product[], number]> {
    const builder = this.dataSource.manager
      .createQueryBuilder(Product, 'p')
      .where('p.active = true')
      .orderBy('p.name', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .take(query.limit)
      .skip(query.offset);
    if (query.search) {
      // The search text is a bound parameter; escaping makes % and _ match themselves.
      builder.andWhere(`p.name ILIKE :pattern ESCAPE '\\'`, { pattern: `%${escapeLike(query.search)}%` });
    }
    return builder.getManyAndCount();
  }

  findActive(id: string): Promise<Product | null> {
    return this.dataSource.manager.findOneBy(Product, { id, active: true });
  }

  /** Any product, active or not: for the people who manage the catalogue. */
  findById(id: string): Promise<Product | null> {
    return this.dataSource.manager.findOneBy(Product, { id });
  }

  /** A product known to exist (products are never deleted), as the caller's transaction sees it. */
  get(id: string, manager: EntityManager): Promise<Product> {
    return manager.findOneByOrFail(Product, { id });
  }

  /** Every product, active or not: the demo seeder fills only an empty catalogue. */
  count(): Promise<number> {
    return this.dataSource.manager.count(Product);
  }

  /** Throws the database's unique violation when the sku is taken. */
  insert(row: NewProduct, manager: EntityManager = this.dataSource.manager): Promise<Product> {
    return manager.save(manager.create(Product, row));
  }

  /**
   * Writes only the columns named, in one UPDATE: saving a whole entity read earlier would write
   * back a `stock` read before concurrent sales, and oversell.
   */
  async update(id: string, columns: Partial<ProductFields>, manager: EntityManager): Promise<void> {
    await manager.update(Product, { id }, columns);
  }

  /**
   * Locks the named products' rows for the rest of the transaction, always in id order: two orders
   * that share products then queue for the locks instead of deadlocking, and neither can sell stock
   * the other already took (the second reads the stock only after the first commits).
   */
  lockForOrder(productIds: string[], manager: EntityManager): Promise<LockedProduct[]> {
    const ids = [...new Set(productIds.map((id) => id.toLowerCase()))].sort();
    return manager.query(
      `SELECT id, sku, name, price_cents, currency, stock, active
         FROM products WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
      [ids],
    );
  }

  /** Adds `delta` (negative to take, positive to give back) to each product's stock, in one statement. */
  async adjustStock(lines: StockLine[], sign: 1 | -1, manager: EntityManager): Promise<void> {
    const params = new SqlParameters();
    await manager.query(this.stockChange(lines, sign, params), params.values);
  }

  /** The UPDATE of adjustStock, to run on its own or inside another statement (see AlongsideWrites). */
  stockChange(lines: StockLine[], sign: 1 | -1, params: SqlParameters): string {
    const ids = params.add(lines.map((line) => line.productId));
    const deltas = params.add(lines.map((line) => sign * line.quantity));
    return `UPDATE products AS p SET stock = p.stock + v.delta, updated_at = now()
         FROM (SELECT unnest(${ids}::uuid[]) AS id, unnest(${deltas}::int[]) AS delta) AS v
        WHERE p.id = v.id`;
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
