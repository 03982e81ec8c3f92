import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { Principal } from '../security/principal';
import { Scope, SCOPES_BY_ROLE } from '../security/scopes';
import type { ParsedApiKey } from './api-key-format';
import { ApiKeysRepository } from './api-keys.repository';

/** A principal that authenticated with an API key: the key's id is always known. */
export type KeyPrincipal = Principal & { keyId: string };

@Injectable()
export class ApiKeyLookup {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly clock: Clock,
  ) {}

  /** The principal a well-formed key speaks for, or undefined when it cannot be used (one query: ApiKeysRepository.findUsable). */
  async principalFor(key: ParsedApiKey): Promise<KeyPrincipal | undefined> {
    const row = await this.keys.findUsable(key.hash, this.clock.now());
    if (!row) return undefined;
    // docs/http-contract.md: a request with a key can do no more than the owner *and* the key allow, so the key's
    // scopes are cut down to what the owner holds today. Never a role: hasRole() refuses keys anyway.
    if (key.kind === 'user' && row.user_id && row.user_role) {
      return { kind: 'user', id: row.user_id, scopes: within(row.scopes, SCOPES_BY_ROLE[row.user_role]), keyId: row.id };
    }
    if (key.kind === 'service' && row.service_client_id && row.client_scopes) {
      return { kind: 'client', id: row.service_client_id, scopes: within(row.scopes, row.client_scopes), keyId: row.id };
    }
    return undefined;
  }
}

function within(scopes: readonly Scope[], allowed: readonly Scope[]): Set<Scope> {
  return new Set(scopes.filter((scope) => allowed.includes(scope)));
}
