import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The account lifecycle (docs/http-contract.md, Accounts):
 * - `users.email_verified_at`: accounts that existed before verification are taken as verified.
 * - `account_tokens`: the tokens of e-mailed links, by hash only, each for one purpose and one user, bound to the
 *   user's address and token generation when it was issued, so a later e-mail or password change voids it.
 * - `mail_outbox`: mails to send, written in the transaction of the change they tell of; a worker in every
 *   instance claims them (FOR UPDATE SKIP LOCKED) and sends them. The subject and body columns are filled only
 *   by the development mailbox (no SMTP_URL): a mail sent over SMTP, with the token of its link, is never stored.
 * - `refresh_tokens.ip` and `.user_agent`: where each session was used from, for the session list and the notice
 *   of a sign-in from a new device.
 */
export class AccountLifecycle1765152000000 implements MigrationInterface {
  name = 'AccountLifecycle1765152000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN email_verified_at timestamptz`);
    await db.query(`UPDATE users SET email_verified_at = created_at`);
    await db.query(`
      CREATE TABLE account_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash char(64) NOT NULL UNIQUE,
        purpose varchar(24) NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id),
        user_email varchar(254) NOT NULL,
        new_email varchar(254),
        token_generation integer NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX account_tokens_expires_idx ON account_tokens (expires_at)`);
    await db.query(`
      CREATE TABLE mail_outbox (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind varchar(32) NOT NULL,
        recipient varchar(254) NOT NULL,
        user_id uuid REFERENCES users (id),
        params jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        send_after timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        done_at timestamptz,
        outcome varchar(16),
        last_error varchar(200),
        subject text,
        text_body text,
        html_body text
      )`);
    // What the worker polls for: only the mails still to send, by index.
    await db.query(`CREATE INDEX mail_outbox_due_idx ON mail_outbox (send_after) WHERE done_at IS NULL`);
    await db.query(`CREATE INDEX mail_outbox_done_idx ON mail_outbox (done_at) WHERE done_at IS NOT NULL`);
    await db.query(`ALTER TABLE refresh_tokens ADD COLUMN ip varchar(45), ADD COLUMN user_agent varchar(256)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE refresh_tokens DROP COLUMN user_agent, DROP COLUMN ip`);
    await db.query(`DROP TABLE mail_outbox`);
    await db.query(`DROP TABLE account_tokens`);
    await db.query(`ALTER TABLE users DROP COLUMN email_verified_at`);
  }
}
