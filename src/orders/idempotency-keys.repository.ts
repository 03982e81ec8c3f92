import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { IdempotencyKey } from './idempotency-key.entity';
import { SqlParameters } from '../database/sql-parameters';

/**
 * The one owner of the `idempotency_keys` table; every method runs in the caller's transaction.
 * TypeORM's API with entity property names, except the statements that decide by themselves (a
 * DELETE by age, an INSERT … ON CONFLICT) and the one that runs inside the order's INSERT, which are
 * raw SQL naming columns.
 */
@Injectable()
export class IdempotencyKeysRepository {
  /** "Keys are kept at least 24 hours" (docs/http-contract.md): an older one may be claimed again. */
  async forgetExpired(userId: string, key: string, manager: EntityManager): Promise<void> {
    await manager.query(`DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND created_at < now() - interval '24 hours'`, [userId, key]);
  }

  /**
   * Inserts the key unless the user already holds it; true when this call inserted it. A concurrent
   * insert of the same key waits on the primary key until the other transaction ends.
   */
  async insertIfAbsent(userId: string, key: string, requestHash: string, manager: EntityManager): Promise<boolean> {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key`,
      [userId, key, requestHash],
    );
    return inserted.length > 0;
  }

  get(userId: string, key: string, manager: EntityManager): Promise<IdempotencyKey> {
    return manager.findOneByOrFail(IdempotencyKey, { userId, key });
  }

  /** Ties the key to the order it placed, inside the statement that inserts the order (see AlongsideWrites). */
  orderAttachment(userId: string, key: string, orderId: string, params: SqlParameters): string {
    return `UPDATE idempotency_keys SET order_id = ${params.add(orderId)} WHERE user_id = ${params.add(userId)} AND key = ${params.add(key)}`;
  }
}
