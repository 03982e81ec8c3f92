import { ResourcePolicy } from '../security/policy';
import { requireUserToken } from '../security/require-user';
import type { ApiKey } from './api-key.entity';
import { ApiKeysService } from './api-keys.service';

/**
 * A user's own key, by id: ownership is part of the lookup, so another user's key is a 404. Keys
 * are managed with the user's own access token only: a key (or a client) gets 403 here, before any
 * lookup, so a stolen key can neither mint nor rotate keys (docs/http-contract.md, API keys).
 */
export const ApiKeyPolicy: Record<'own', ResourcePolicy<ApiKey>> = {
  own: {
    notFound: 'API key not found',
    load: (modules, principal, id) => modules.get(ApiKeysService, { strict: false }).findOwn(requireUserToken(principal).userId, id),
  },
};
