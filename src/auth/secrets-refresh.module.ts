import { DynamicModule, Inject, Logger, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SecretsRefresher } from '../secrets/secrets-refresher';
import { SecretsProvider, SERVICE_SECRETS, ServiceSecrets } from '../secrets/service-secrets';
import { AuthModule } from './auth.module';
import { KeyRing } from './key-ring';

export interface SecretsRefreshOptions {
  provider: SecretsProvider;
  intervalMs: number;
}

const SECRETS_REFRESH_OPTIONS = Symbol('SECRETS_REFRESH_OPTIONS');

/**
 * The connections opened once at boot. They are not swapped while the app runs: that would mean
 * draining the database pool and the Redis client under live requests. A change needs a restart.
 */
const RESTART_FIELDS = ['databaseUrl', 'redisUrl', 'smtpUrl'] as const;

/**
 * Re-reads the AWS secret on an interval (SECRETS_PROVIDER=aws only; main.ts decides) and swaps in
 * its signing keys: after a rotation the new AWSCURRENT key signs, and tokens signed by the old one
 * keep verifying for as long as it stays AWSPREVIOUS. A failed read keeps the last good keys. It lives in
 * auth/, which owns the KeyRing it swaps keys into: secrets/ only reads secrets and imports no feature.
 */
@Module({})
export class SecretsRefreshModule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Secrets');
  private readonly refresher: SecretsRefresher;
  private lastRead: ServiceSecrets;

  constructor(
    @Inject(SECRETS_REFRESH_OPTIONS) { provider, intervalMs }: SecretsRefreshOptions,
    @Inject(SERVICE_SECRETS) private readonly bootSecrets: ServiceSecrets,
    private readonly keyRing: KeyRing,
  ) {
    this.lastRead = bootSecrets;
    this.refresher = new SecretsRefresher(provider, (secrets) => this.apply(secrets), this.logger, intervalMs);
    keyRing.reloadWith(() => this.refresher.refresh());
  }

  static register(options: SecretsRefreshOptions): DynamicModule {
    return { module: SecretsRefreshModule, imports: [AuthModule], providers: [{ provide: SECRETS_REFRESH_OPTIONS, useValue: options }] };
  }

  onApplicationBootstrap(): void {
    this.refresher.start();
  }

  onApplicationShutdown(): void {
    this.refresher.stop();
  }

  private apply(secrets: ServiceSecrets): void {
    const previousKid = this.keyRing.signingKey.kid;
    this.keyRing.replace(secrets.signingKeys);
    const { kid } = secrets.signingKeys.current;
    // A kid names a key; it is not secret (every token header and the JWKS carry it).
    if (kid !== previousKid) this.logger.log(`Signing key rotated: new tokens carry kid "${kid}"`);
    this.warnOnceIfRestartNeeded(secrets);
    this.lastRead = secrets;
  }

  /** Warns when a URL differs from the one in use, once per new value: the field is named, never the URL. */
  private warnOnceIfRestartNeeded(secrets: ServiceSecrets): void {
    for (const field of RESTART_FIELDS) {
      if (secrets[field] !== this.bootSecrets[field] && secrets[field] !== this.lastRead[field]) {
        this.logger.warn(`Secret field "${field}" changed: restart the service to use it (connections are not swapped while it runs)`);
      }
    }
  }
}
