import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys and service clients (docs/http-contract.md, API keys and Service client admin). No plaintext key or
 * secret is ever stored: keys and client secrets are SHA-256 hashes under a unique index, and a key
 * keeps only a display `prefix` and `last4`. The CHECKs back up the DTOs: a bug still cannot give a
 * key a scope that does not exist, or a key two owners (or none).
 */
export class ApiKeysAndClients1764806400000 implements MigrationInterface {
  name = 'ApiKeysAndClients1764806400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE service_clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        client_id varchar(64) NOT NULL UNIQUE,
        name varchar(100) NOT NULL,
        scopes varchar(32)[] NOT NULL CHECK (scopes <@ ARRAY['orders:read', 'orders:fulfil', 'products:write']::varchar[]),
        secret_hash char(64) NOT NULL,
        previous_secret_hash char(64),
        previous_secret_expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await db.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key_hash char(64) NOT NULL UNIQUE,
        prefix varchar(16) NOT NULL,
        last4 char(4) NOT NULL,
        name varchar(100) NOT NULL,
        scopes varchar(32)[] NOT NULL CHECK (scopes <@ ARRAY['orders:read', 'orders:write', 'orders:fulfil', 'products:write']::varchar[]),
        user_id uuid REFERENCES users (id),
        service_client_id uuid REFERENCES service_clients (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz,
        CHECK ((user_id IS NULL) <> (service_client_id IS NULL))
      )`);
    await db.query(`CREATE INDEX api_keys_user_idx ON api_keys (user_id, created_at DESC) WHERE user_id IS NOT NULL`);
    await db.query(`CREATE INDEX api_keys_service_client_idx ON api_keys (service_client_id) WHERE service_client_id IS NOT NULL`);
    // The addresses each key has been used from: the primary key makes "first use from a new IP"
    // one INSERT ... ON CONFLICT DO NOTHING, which returns a row only when the address is new.
    await db.query(`
      CREATE TABLE api_key_ips (
        key_id uuid NOT NULL REFERENCES api_keys (id),
        ip varchar(45) NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (key_id, ip)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['api_key_ips', 'api_keys', 'service_clients']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
