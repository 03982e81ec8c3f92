import { Injectable } from '@nestjs/common';
import type { Principal } from '../security/principal';
import { requireUserToken } from '../security/require-user';
import type { ApiKey } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';

@Injectable()
export class ApiKeyPolicy {
  static readonly notFound = 'API key not found';

  constructor(private readonly keys: ApiKeysRepository) {}

  /**
   * A user's own key, by id: ownership is part of the lookup, so another user's key is a 404. Keys
   * are managed with the user's own access token only: a key (or a client) gets 403 here, before any
   * lookup, so a stolen key can neither mint nor rotate keys (docs/http-contract.md, API keys).
   */
  async own(principal: Principal, id: string): Promise<ApiKey | null> {
    return this.keys.findOwn(requireUserToken(principal).userId, id);
  }
}
