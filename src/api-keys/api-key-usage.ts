import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { HttpOrigin } from '../audit/request-origin.decorator';
import { Clock } from '../common/clock';
import type { KeyPrincipal } from './api-key-lookup';

/**
 * One statement, two writes (Postgres runs every data-modifying WITH clause, read or not):
 * - `last_used_at` moves only when it is over a minute old, so a busy key is written once a
 *   minute, not on every request;
 * - the (key, IP) pair is inserted unless already known: a row comes back only for a new address.
 */
const RECORD_USE = `
  WITH touched AS (
    UPDATE api_keys SET last_used_at = $3
    WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3::timestamptz - interval '1 minute')
  ), seen AS (
    INSERT INTO api_key_ips (key_id, ip) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING key_id
  )
  SELECT EXISTS (SELECT 1 FROM seen) AS new_ip`;

/**
 * Usage records for anomaly review (API.md, API keys): `lastUsedAt`, and an `api_key.new_ip` audit
 * event the first time a key is used from an address. Written in the background, so a request
 * never waits for them: a failed write is logged, and the request it describes goes on.
 */
@Injectable()
export class ApiKeyUsage implements OnModuleDestroy {
  private readonly logger = new Logger('ApiKeyUsage');
  private readonly pending = new Set<Promise<void>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  record(principal: KeyPrincipal, origin: HttpOrigin): void {
    const write: Promise<void> = this.write(principal, origin)
      .catch((error: unknown) => this.logger.error({ err: error, keyId: principal.keyId }, 'could not record an API key use'))
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  /** Resolves once every use recorded so far is written: shutdown waits for it (and tests can). */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }

  async onModuleDestroy(): Promise<void> {
    await this.settled();
  }

  private async write({ kind, id, keyId }: KeyPrincipal, origin: HttpOrigin): Promise<void> {
    const [{ new_ip: newIp }] = (await this.dataSource.query(RECORD_USE, [keyId, origin.ip, this.clock.now()])) as Array<{ new_ip: boolean }>;
    if (!newIp) return;
    await this.audit.record({ ...origin, actorType: kind, actorId: id, action: 'api_key.new_ip', targetType: 'api_key', targetId: keyId, outcome: 'success' });
  }
}
