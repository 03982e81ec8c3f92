import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delegated authorization (docs/http-contract.md, Delegated authorization; docs/decisions/0024):
 * - `service_clients` becomes the one client registry: a type (`public` clients have no secret), the grants a
 *   client may use and its exact redirect URIs. A service client keeps client credentials and the scopes it had;
 *   an app has the authorization code and refresh token grants, at least one redirect URI, and only scopes a user
 *   may delegate. The CHECKs back up the DTOs: a bug still cannot make a public client with a secret, or an app
 *   that could be granted `orders:fulfil`.
 * - `authorization_requests`: one pending `GET /oauth/authorize`, bound to the browser that started it by the
 *   hash of a secret in its cookie; later the user who signed in, and the code issued for it, by hash only, with
 *   when it was redeemed and the refresh-token family the redemption opened (a second use revokes that family).
 * - `oauth_consents`: the scopes each user granted each app, so that the same or fewer are not asked again.
 * - `refresh_tokens.client_id` and `.scopes`: a family opened for an app (null: the user's own login).
 */
export class AppClients1765238400000 implements MigrationInterface {
  name = 'AppClients1765238400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE service_clients
        ADD COLUMN client_type varchar(12) NOT NULL DEFAULT 'confidential' CHECK (client_type IN ('confidential', 'public')),
        ADD COLUMN grant_types varchar(32)[] NOT NULL DEFAULT ARRAY['client_credentials']::varchar[],
        ADD COLUMN redirect_uris varchar(2048)[] NOT NULL DEFAULT '{}',
        ALTER COLUMN secret_hash DROP NOT NULL,
        DROP CONSTRAINT service_clients_scopes_check,
        ADD CONSTRAINT service_clients_secret_check CHECK ((client_type = 'public') = (secret_hash IS NULL)),
        ADD CONSTRAINT service_clients_kind_check CHECK (
          (grant_types = ARRAY['client_credentials']::varchar[] AND client_type = 'confidential' AND redirect_uris = '{}'
            AND scopes <@ ARRAY['orders:read', 'orders:fulfil', 'products:write']::varchar[])
          OR (grant_types = ARRAY['authorization_code', 'refresh_token']::varchar[] AND cardinality(redirect_uris) > 0
            AND scopes <@ ARRAY['orders:read', 'orders:write']::varchar[]))`);
    await db.query(`
      CREATE TABLE authorization_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        client_id uuid NOT NULL REFERENCES service_clients (id),
        redirect_uri varchar(2048) NOT NULL,
        scopes varchar(32)[] NOT NULL,
        state varchar(512) NOT NULL,
        code_challenge char(43) NOT NULL,
        browser_hash char(64) NOT NULL,
        expires_at timestamptz NOT NULL,
        user_id uuid REFERENCES users (id),
        token_generation integer,
        decided_at timestamptz,
        code_hash char(64) UNIQUE,
        code_expires_at timestamptz,
        code_used_at timestamptz,
        family_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX authorization_requests_expires_idx ON authorization_requests (expires_at)`);
    await db.query(`
      CREATE TABLE oauth_consents (
        user_id uuid NOT NULL REFERENCES users (id),
        client_id uuid NOT NULL REFERENCES service_clients (id),
        scopes varchar(32)[] NOT NULL,
        granted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, client_id)
      )`);
    await db.query(`ALTER TABLE refresh_tokens ADD COLUMN client_id uuid REFERENCES service_clients (id), ADD COLUMN scopes varchar(32)[]`);
    // What deleting an app revokes: its families, by index.
    await db.query(`CREATE INDEX refresh_tokens_client_idx ON refresh_tokens (client_id) WHERE client_id IS NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX refresh_tokens_client_idx`);
    await db.query(`ALTER TABLE refresh_tokens DROP COLUMN scopes, DROP COLUMN client_id`);
    await db.query(`DROP TABLE oauth_consents`);
    await db.query(`DROP TABLE authorization_requests`);
    await db.query(`DELETE FROM service_clients WHERE client_type = 'public' OR grant_types <> ARRAY['client_credentials']::varchar[]`);
    await db.query(`
      ALTER TABLE service_clients
        DROP CONSTRAINT service_clients_kind_check,
        DROP CONSTRAINT service_clients_secret_check,
        ADD CONSTRAINT service_clients_scopes_check CHECK (scopes <@ ARRAY['orders:read', 'orders:fulfil', 'products:write']::varchar[]),
        ALTER COLUMN secret_hash SET NOT NULL,
        DROP COLUMN redirect_uris,
        DROP COLUMN grant_types,
        DROP COLUMN client_type`);
  }
}
