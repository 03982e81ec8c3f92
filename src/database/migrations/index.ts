import { InitialSchema1764547200000 } from './1764547200000-initial-schema';
import { RefreshTokens1764633600000 } from './1764633600000-refresh-tokens';
import { ApiKeysAndClients1764806400000 } from './1764806400000-api-keys-and-clients';
import { RetentionIndexes1764892800000 } from './1764892800000-retention-indexes';
import { TokenGenerations1764979200000 } from './1764979200000-token-generations';
import { AccountLifecycle1765152000000 } from './1765152000000-account-lifecycle';
import { AppClients1765238400000 } from './1765238400000-app-clients';

/** Every migration, in order. Listed explicitly so the build needs no file globbing. */
export const MIGRATIONS = [
  InitialSchema1764547200000,
  RefreshTokens1764633600000,
  ApiKeysAndClients1764806400000,
  RetentionIndexes1764892800000,
  TokenGenerations1764979200000,
  AccountLifecycle1765152000000,
  AppClients1765238400000,
];
