import { AuditActor } from '../../src/audit/audit-actor.decorator';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Product } from '../../src/products/product.entity';
import { User } from '../../src/users/user.entity';

/** A user row straight in the database, for tests that need an owner but not a login. */
export function insertUser(dataSource: DataSource, overrides: Partial<User> = {}): Promise<User> {
  const users = dataSource.getRepository(User);
  return users.save(
    users.create({ email: `${randomUUID()}@example.test`, name: 'Test User', role: 'customer', passwordHash: 'not-a-real-hash', ...overrides }),
  );
}

export function insertProduct(dataSource: DataSource, overrides: Partial<Product> = {}): Promise<Product> {
  const products = dataSource.getRepository(Product);
  return products.save(
    products.create({
      sku: `SKU-${randomUUID().slice(0, 8)}`,
      name: 'Test product',
      priceCents: 1000,
      currency: 'EUR',
      stock: 10,
      costCents: 300,
      ...overrides,
    }),
  );
}

export async function stockOf(dataSource: DataSource, productId: string): Promise<number> {
  return (await dataSource.getRepository(Product).findOneByOrFail({ id: productId })).stock;
}

/** An audit actor for service-level calls made on behalf of a user (no HTTP request). */
export function actorFor(userId: string): AuditActor {
  return { actorType: 'user', actorId: userId, ip: '127.0.0.1', requestId: 'service-test' };
}

/** An admin-ish actor for service-level status changes. */
export const ADMIN: AuditActor = { actorType: 'user', actorId: null, ip: '127.0.0.1', requestId: 'service-test' };
