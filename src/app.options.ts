import type { DestinationStream } from 'pino';
import type { SecretsRefreshOptions } from './auth/secrets-refresh.module';
import { AppConfig } from './config/app-config';
import { DatabaseTarget } from './database/data-source.options';
import { ServiceSecrets } from './secrets/service-secrets';

/** Everything the app is built from. main.ts reads it from the environment; tests build their own. */
export interface AppOptions {
  config: AppConfig;
  secrets: ServiceSecrets;
  database: DatabaseTarget;
  /** Where and how often to re-read the secrets, to pick up a rotated signing key (AWS only). */
  secretsRefresh?: SecretsRefreshOptions;
  /** Where logs go (stdout by default); tests capture them to search for leaked secrets. */
  logStream?: DestinationStream;
}
