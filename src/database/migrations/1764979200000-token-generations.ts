import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exact revocation (docs/decisions/0009): every user and service client has a token generation that
 * a password change, a suspension or a deletion moves on; access tokens and refresh tokens carry the
 * generation they were issued in. `tokens_valid_after` (a one-second cutoff) becomes the time of the
 * last such revocation, which says how far back a rebuild of the revocation store must look.
 */
export class TokenGenerations1764979200000 implements MigrationInterface {
  name = 'TokenGenerations1764979200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN token_generation integer NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE users RENAME COLUMN tokens_valid_after TO tokens_revoked_at`);
    await db.query(`ALTER TABLE service_clients ADD COLUMN token_generation integer NOT NULL DEFAULT 0`);
    await db.query(`ALTER TABLE refresh_tokens ADD COLUMN token_generation integer NOT NULL DEFAULT 0`);
    // What a rebuild of the revocation store reads: only recent revocations, by index.
    await db.query(`CREATE INDEX users_tokens_revoked_idx ON users (tokens_revoked_at) WHERE tokens_revoked_at IS NOT NULL`);
    await db.query(`CREATE INDEX service_clients_deleted_idx ON service_clients (deleted_at) WHERE deleted_at IS NOT NULL`);
    await db.query(`CREATE INDEX refresh_tokens_revoked_access_idx ON refresh_tokens (access_token_expires_at) WHERE revoked_at IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX refresh_tokens_revoked_access_idx`);
    await db.query(`DROP INDEX service_clients_deleted_idx`);
    await db.query(`DROP INDEX users_tokens_revoked_idx`);
    await db.query(`ALTER TABLE refresh_tokens DROP COLUMN token_generation`);
    await db.query(`ALTER TABLE service_clients DROP COLUMN token_generation`);
    await db.query(`ALTER TABLE users RENAME COLUMN tokens_revoked_at TO tokens_valid_after`);
    await db.query(`ALTER TABLE users DROP COLUMN token_generation`);
  }
}
