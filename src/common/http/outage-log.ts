import { Logger } from '@nestjs/common';

/** At most one line per this long while an outage lasts. */
const OUTAGE_LOG_INTERVAL_MS = 10_000;

/**
 * Logs the errors of an outage (e.g. the database unreachable) as one line, then a line at most
 * every 10 s counting the requests answered meanwhile, instead of one line per request: under load
 * an outage would otherwise flood the log with identical errors, and cost CPU while the service is
 * already degraded (OWASP Logging Cheat Sheet: logs must stay usable during an incident).
 */
export class OutageLog {
  private lastLineAt = -Infinity;
  private unlogged = 0;

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  record(error: unknown, requestId: string): void {
    const now = performance.now();
    if (now - this.lastLineAt < OUTAGE_LOG_INTERVAL_MS) {
      this.unlogged++;
      return;
    }
    const since = this.unlogged > 0 ? `; ${this.unlogged} more requests answered 503 since the last line` : '';
    this.logger.error({ err: error, requestId }, `${this.what}: answering 503${since}`);
    this.lastLineAt = now;
    this.unlogged = 0;
  }
}
