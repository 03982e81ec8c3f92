import { SecretsError } from './secrets-error';
import { SecretsProvider, ServiceSecrets } from './service-secrets';

export interface WarningLogger {
  warn(message: string): void;
}

/**
 * Re-reads the secrets on an interval so a rotated signing key is picked up without a restart.
 * A failed read keeps the last good values (onUpdate is simply not called) and logs a warning.
 */
export class SecretsRefresher {
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    private readonly provider: SecretsProvider,
    private readonly onUpdate: (secrets: ServiceSecrets) => void,
    private readonly logger: WarningLogger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.scheduleNext();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  private scheduleNext(): void {
    // A timeout after each read, not setInterval, so a slow endpoint never stacks up overlapping reads.
    this.timer = setTimeout(() => void this.refresh().then(() => this.running && this.scheduleNext()), this.intervalMs);
    // A pending refresh must not keep the process alive at shutdown.
    this.timer.unref();
  }

  /** Reads the secrets now, outside the interval; like every read, a failure keeps the last good values. */
  async refresh(): Promise<void> {
    try {
      const secrets = await this.provider.load();
      // stop() may have been called while the read was in flight.
      if (this.running) this.onUpdate(secrets);
    } catch (error) {
      // Only a SecretsError's message is known to be free of secret values.
      const reason = error instanceof SecretsError ? error.message : `unexpected ${(error as Error)?.name ?? 'error'}`;
      this.logger.warn(`Secrets refresh failed, keeping the last good values: ${reason}`);
    }
  }
}
