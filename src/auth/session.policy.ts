import { Injectable } from '@nestjs/common';
import type { Principal } from '../security/principal';
import { requireUserToken } from '../security/require-user';
import { RefreshTokensRepository } from './refresh-tokens.repository';

/** A session, as a policy loads it: its id (the refresh family's) and whose it is. */
export interface OwnSession {
  id: string;
  userId: string;
}

@Injectable()
export class SessionPolicy {
  static readonly notFound = 'Session not found';

  constructor(private readonly refreshTokens: RefreshTokensRepository) {}

  /**
   * One of the caller's own sessions, by id: ownership is part of the lookup, so another user's session is a 404
   * (docs/decisions/0004). Managed with the user's own access token only: an API key gets 403 before any lookup.
   */
  async own(principal: Principal, id: string): Promise<OwnSession | null> {
    const userId = requireUserToken(principal).userId;
    return (await this.refreshTokens.hasFamily(userId, id)) ? { id, userId } : null;
  }
}
