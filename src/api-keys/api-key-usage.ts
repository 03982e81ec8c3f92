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

/** How often RECORD_USE can change anything for one (key, address): `last_used_at` moves once a minute. */
const RECORD_INTERVAL_MS = 60_000;
/** Bounds the memory of recent writes; past it, the oldest pair is forgotten (and simply written again). */
const MAX_REMEMBERED_PAIRS = 10_000;

/**
 * Usage records for anomaly review (docs/http-contract.md, API keys): `lastUsedAt`, and an `api_key.new_ip` audit
 * event the first time a key is used from an address. Written in the background, so a request
 * never waits for them: a failed write is logged, and the request it describes goes on.
 *
 * A (key, address) pair written less than a minute ago is not written again by this instance: the
 * statement would change nothing (the address is known, `last_used_at` is fresh), and skipping it
 * saves a database round trip on nearly every request of a busy key.
 */
@Injectable()
export class ApiKeyUsage implements OnModuleDestroy {
  private readonly logger = new Logger('ApiKeyUsage');
  private readonly pending = new Set<Promise<void>>();
  /** `keyId ip` → when this instance last wrote it; insertion order is age order (see remember). */
  private readonly recentlyWritten = new Map<string, number>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  record(principal: KeyPrincipal, origin: HttpOrigin): void {
    const pair = `${principal.keyId} ${origin.ip}`;
    const now = this.clock.now().getTime();
    const writtenAt = this.recentlyWritten.get(pair);
    if (writtenAt !== undefined && now - writtenAt < RECORD_INTERVAL_MS) return;
    this.remember(pair, now);
    const write: Promise<void> = this.write(principal, origin)
      .catch((error: unknown) => {
        // Not written after all: the next use tries again.
        this.recentlyWritten.delete(pair);
        this.logger.error({ err: error, keyId: principal.keyId }, 'could not record an API key use');
      })
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

  private remember(pair: string, at: number): void {
    // Deleted first so the pair moves to the end: the first entry is always the oldest.
    this.recentlyWritten.delete(pair);
    this.recentlyWritten.set(pair, at);
    if (this.recentlyWritten.size > MAX_REMEMBERED_PAIRS) this.recentlyWritten.delete(this.recentlyWritten.keys().next().value!);
  }

  private async write({ kind, id, keyId }: KeyPrincipal, origin: HttpOrigin): Promise<void> {
    const [{ new_ip: newIp }] = await this.dataSource.query<Array<{ new_ip: boolean }>>(RECORD_USE, [keyId, origin.ip, this.clock.now()]);
    if (!newIp) return;
    await this.audit.record({ ...origin, actorType: kind, actorId: id, action: 'api_key.new_ip', targetType: 'api_key', targetId: keyId, outcome: 'success' });
  }
}
