import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** How often each instance sweeps. Sweeps are idempotent, so instances need not coordinate. */
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;
/** Rows deleted per statement: short statements hold their locks briefly under live traffic. */
const BATCH_SIZE = 500;

/**
 * What each table keeps, as SQL that deletes one batch of what has outlived its use. Each rule waits past the last moment the rows can matter:
 * - refresh tokens: a family is refused once its absolute `expires_at` has passed, and the access
 *   tokens issued with it end at most 15 minutes later; one hour on, the rows serve nothing. A whole
 *   family goes at once, because `parent_id` points from one of its rows to another.
 * - idempotency keys: docs/http-contract.md promises at least 24 hours, after which a key may be reused.
 * - account tokens: a mailed link works for a day at most; one day on, its row serves nothing.
 * - the mail outbox: a mail done (sent, kept, skipped or given up) a week ago is kept no longer; the
 *   development mailbox is emptied so too.
 * - authorization requests: the browser steps end 10 minutes after the request and its code a minute after
 *   the consent; a day on, the row serves nothing but a replay of the code, which then fails as unknown.
 */
const RETENTION_RULES = {
  refreshTokens: `
    DELETE FROM refresh_tokens WHERE family_id IN (
      SELECT DISTINCT family_id FROM refresh_tokens
      WHERE expires_at < now() - interval '1 hour' LIMIT ${BATCH_SIZE}
    )`,
  idempotencyKeys: `
    DELETE FROM idempotency_keys WHERE (user_id, key) IN (
      SELECT user_id, key FROM idempotency_keys
      WHERE created_at < now() - interval '24 hours' LIMIT ${BATCH_SIZE}
    )`,
  accountTokens: `
    DELETE FROM account_tokens WHERE id IN (
      SELECT id FROM account_tokens WHERE expires_at < now() - interval '1 day' LIMIT ${BATCH_SIZE}
    )`,
  mailOutbox: `
    DELETE FROM mail_outbox WHERE id IN (
      SELECT id FROM mail_outbox WHERE done_at < now() - interval '7 days' LIMIT ${BATCH_SIZE}
    )`,
  authorizationRequests: `
    DELETE FROM authorization_requests WHERE id IN (
      SELECT id FROM authorization_requests WHERE expires_at < now() - interval '1 day' LIMIT ${BATCH_SIZE}
    )`,
} as const;

export type RetentionSweep = Record<keyof typeof RETENTION_RULES, number>;

/**
 * Deletes rows that only matter for a bounded time, so that tables written on every login or order
 * do not grow without bound (OWASP API4:2023, Unrestricted Resource Consumption). The audit trail is
 * not touched: how long it is kept is a compliance decision, and the table is append-only.
 */
@Injectable()
export class DataRetention implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly log = new Logger('DataRetention');
  private timer?: NodeJS.Timeout;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    // unref: a pending sweep never keeps the process alive, or delays a graceful shutdown.
    this.timer = setInterval(() => void this.sweepAndLog(), SWEEP_INTERVAL_MS).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Runs every rule until it finds nothing more to delete; returns how many rows each deleted. */
  async sweep(): Promise<RetentionSweep> {
    const deleted = { refreshTokens: 0, idempotencyKeys: 0, accountTokens: 0, mailOutbox: 0, authorizationRequests: 0 };
    for (const table of Object.keys(RETENTION_RULES) as Array<keyof RetentionSweep>) {
      let batch: number;
      do {
        batch = await this.deleteBatch(RETENTION_RULES[table]);
        deleted[table] += batch;
      } while (batch > 0);
    }
    return deleted;
  }

  /**
   * Runs one delete and returns how many rows it removed. Wrapped in a SELECT because TypeORM
   * returns a bare DELETE's result in a driver-specific shape; a SELECT's rows are the same everywhere.
   */
  private async deleteBatch(deleteSql: string): Promise<number> {
    const [{ count }] = await this.dataSource.query<Array<{ count: number }>>(
      `WITH deleted AS (${deleteSql} RETURNING 1) SELECT count(*)::int AS count FROM deleted`,
    );
    return count;
  }

  private async sweepAndLog(): Promise<void> {
    try {
      const { refreshTokens, idempotencyKeys, accountTokens, mailOutbox, authorizationRequests } = await this.sweep();
      this.log.log(
        `Retention sweep deleted ${refreshTokens} refresh tokens, ${idempotencyKeys} idempotency keys, ${accountTokens} account tokens, ${mailOutbox} mails and ${authorizationRequests} authorization requests`,
      );
    } catch {
      // The next sweep retries; a failed one loses nothing but time. The error itself is left out:
      // a driver message may quote the database URL, and the database module logs its own errors.
      this.log.warn('Retention sweep failed; retrying at the next interval');
    }
  }
}
