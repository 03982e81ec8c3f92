import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refresh tokens, stored only as SHA-256 hashes (docs/http-contract.md, Auth). One row per token; the tokens of
 * one login session share a `family_id` and an absolute `expires_at`. Each row also records the
 * access token issued with it, so revoking a family can deny-list its access tokens too.
 */
export class RefreshTokens1764633600000 implements MigrationInterface {
  name = 'RefreshTokens1764633600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash char(64) NOT NULL UNIQUE,
        family_id uuid NOT NULL,
        parent_id uuid REFERENCES refresh_tokens (id),
        user_id uuid NOT NULL REFERENCES users (id),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        access_token_id uuid NOT NULL,
        access_token_expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
    await db.query(`CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id)`);
    await db.query(`CREATE INDEX refresh_tokens_access_token_idx ON refresh_tokens (access_token_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE refresh_tokens`);
  }
}
