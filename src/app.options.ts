import type { DestinationStream } from 'pino';
import { AppConfig } from './config/app-config';
import { DatabaseTarget } from './database/data-source.options';
import { ServiceSecrets } from './secrets/service-secrets';

/** Everything the app is built from. main.ts reads it from the environment; tests build their own. */
export interface AppOptions {
  config: AppConfig;
  secrets: ServiceSecrets;
  database: DatabaseTarget;
  /** Where logs go (stdout by default); tests capture them to search for leaked secrets. */
  logStream?: DestinationStream;
}
