import { MigrationInterface, QueryRunner } from 'typeorm';

/** Indexes for the retention sweep (src/database/data-retention.ts), so it never scans a whole table. */
export class RetentionIndexes1764892800000 implements MigrationInterface {
  name = 'RetentionIndexes1764892800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at)`);
    await db.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX idempotency_keys_created_idx`);
    await db.query(`DROP INDEX refresh_tokens_expires_idx`);
  }
}
