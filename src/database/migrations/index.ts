import { InitialSchema1764547200000 } from './1764547200000-initial-schema';
import { RefreshTokens1764633600000 } from './1764633600000-refresh-tokens';

/** Every migration, in order. Listed explicitly so the build needs no file globbing. */
export const MIGRATIONS = [InitialSchema1764547200000, RefreshTokens1764633600000];
