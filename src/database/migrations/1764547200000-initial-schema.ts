import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema. Migrations are the only way the schema changes (`synchronize` is never on),
 * and the same SQL runs on Postgres and on the embedded PGlite. Checks in the database back up
 * the DTO validation: a bug in the application still cannot store a negative stock.
 */
export class InitialSchema1764547200000 implements MigrationInterface {
  name = 'InitialSchema1764547200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email varchar(254) NOT NULL UNIQUE,
        name varchar(100) NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('customer', 'admin')),
        status varchar(16) NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        password_hash text NOT NULL,
        failed_login_count integer NOT NULL DEFAULT 0,
        tokens_valid_after timestamptz,
        internal_notes text,
        last_login_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE products (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        sku varchar(64) NOT NULL UNIQUE,
        name varchar(200) NOT NULL,
        description varchar(2000) NOT NULL DEFAULT '',
        price_cents integer NOT NULL CHECK (price_cents >= 0),
        currency char(3) NOT NULL,
        stock integer NOT NULL CHECK (stock >= 0),
        cost_cents integer CHECK (cost_cents >= 0),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id),
        status varchar(16) NOT NULL CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled')),
        total_cents bigint NOT NULL CHECK (total_cents >= 0),
        currency char(3) NOT NULL,
        fraud_score integer,
        internal_notes text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX orders_user_created_idx ON orders (user_id, created_at DESC)`);
    await db.query(`CREATE INDEX orders_created_idx ON orders (created_at DESC)`);
    await db.query(`
      CREATE TABLE order_lines (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        product_id uuid NOT NULL REFERENCES products (id),
        sku varchar(64) NOT NULL,
        name varchar(200) NOT NULL,
        unit_price_cents integer NOT NULL CHECK (unit_price_cents >= 0),
        quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 100),
        line_total_cents bigint NOT NULL CHECK (line_total_cents >= 0),
        UNIQUE (order_id, line_no),
        UNIQUE (order_id, product_id)
      )`);
    await db.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users (id),
        key varchar(255) NOT NULL,
        request_hash char(64) NOT NULL,
        order_id uuid REFERENCES orders (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);
    await db.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        at timestamptz NOT NULL DEFAULT now(),
        actor_type varchar(16) NOT NULL,
        actor_id varchar(64),
        action varchar(64) NOT NULL,
        target_type varchar(32),
        target_id varchar(64),
        outcome varchar(16) NOT NULL CHECK (outcome IN ('success', 'failure')),
        ip varchar(45),
        request_id varchar(128)
      )`);
    await db.query(`CREATE INDEX audit_events_at_idx ON audit_events (at DESC)`);
    // Append-only audit trail (docs/http-contract.md, Audit): the application role cannot rewrite history,
    // whatever SQL a bug or an injection might send.
    await db.query(`
      CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only' USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await db.query(`
      CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['audit_events', 'idempotency_keys', 'order_lines', 'orders', 'products', 'users']) {
      await db.query(`DROP TABLE ${table}`);
    }
    await db.query(`DROP FUNCTION audit_events_append_only()`);
  }
}
