import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AuditService, RequestOrigin } from '../audit/audit.service';
import { failClosed, unauthorized } from '../security/security-problems';
import { UserToken } from '../security/require-user';
import { User } from '../users/user.entity';
import { revocationCutoff } from './access-token-claims';
import { AccessTokenIssuer } from './access-token.issuer';
import { RefreshToken } from './refresh-token.entity';
import { hashRefreshToken, newRefreshToken } from './refresh-token';
import { AccessTokenRef, REVOCATION_STORE, RevocationStore } from './revocation/revocation-store';
import { ACCESS_TOKEN_TTL_SECONDS, REFRESH_FAMILY_TTL_MS } from './token.constants';

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

interface Family {
  familyId: string;
  parentId: string | null;
  expiresAt: Date;
}

/**
 * Login sessions: an access token plus a chain ("family") of single-use refresh tokens. Rotation,
 * reuse detection and revocation follow the OAuth 2.0 Security BCP (RFC 9700 §4.14.2).
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly accessTokens: AccessTokenIssuer,
    @Inject(REVOCATION_STORE) private readonly revocations: RevocationStore,
    private readonly audit: AuditService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /** A new session (family) for a user who just logged in. */
  open(user: User, manager: EntityManager): Promise<Tokens> {
    return this.issue(manager, user, { familyId: randomUUID(), parentId: null, expiresAt: new Date(Date.now() + REFRESH_FAMILY_TTL_MS) });
  }

  /** Exchanges a refresh token for a new pair, once; the old token is retired. */
  async refresh(refreshToken: string, origin: RequestOrigin): Promise<Tokens> {
    const tokenHash = hashRefreshToken(refreshToken);
    const tokens = await this.dataSource.transaction(async (manager) => {
      const claimed = await claim(manager, tokenHash);
      if (!claimed) return undefined;
      const user = await manager.findOneByOrFail(User, { id: claimed.userId });
      await this.audit.record({ ...origin, actorType: 'user', actorId: user.id, action: 'auth.refresh', targetType: 'user', targetId: user.id, outcome: 'success' }, manager);
      return this.issue(manager, user, { familyId: claimed.familyId, parentId: claimed.id, expiresAt: claimed.expiresAt });
    });
    if (tokens) return tokens;
    await this.refuse(tokenHash, origin);
    throw unauthorized('Invalid refresh token', false);
  }

  /** Ends the session of this access token: the token itself and its whole refresh family. */
  async logout(token: UserToken, origin: RequestOrigin): Promise<void> {
    const session = await this.dataSource.getRepository(RefreshToken).findOneBy({ accessTokenId: token.tokenId });
    const familyTokens = session ? await this.revokeFamily(session.familyId) : [];
    await failClosed(() => this.revocations.revokeTokens([token, ...familyTokens]));
    await this.audit.record({ ...origin, actorType: 'user', actorId: token.userId, action: 'auth.logout', targetType: 'user', targetId: token.userId, outcome: 'success' });
  }

  /**
   * Ends every session of a user at once, on every instance: all access tokens issued until now (by
   * a cutoff in the revocation store), all refresh families and all API keys (API.md: a password
   * change or a suspension revokes "every access token, refresh token and API key session"; a key
   * minted by whoever stole the old password must die with it). For password change and suspension;
   * pass `manager` to make it part of the caller's transaction.
   */
  async revokeAllForUser(userId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const cutoff = revocationCutoff(Date.now());
    // The store first: if it cannot be written, nothing changes and the caller gets a 503, rather
    // than a password changed while the old tokens still work.
    await failClosed(() => this.revocations.revokeIssuedBefore(userId, cutoff));
    // Remembered in the database too, so tokens issued from now on get an `iat` at or after the cutoff.
    await manager.update(User, { id: userId }, { tokensValidAfter: new Date(cutoff * 1000) });
    await manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ revokedAt: () => 'now()' })
      .where('user_id = :userId AND revoked_at IS NULL', { userId })
      .execute();
    await this.apiKeys.revokeAllOf({ kind: 'user', id: userId }, manager);
  }

  private async issue(manager: EntityManager, user: User, family: Family): Promise<Tokens> {
    const access = this.accessTokens.issue(user);
    const refreshToken = newRefreshToken();
    await manager.insert(RefreshToken, {
      ...family,
      tokenHash: hashRefreshToken(refreshToken),
      userId: user.id,
      accessTokenId: access.id,
      accessTokenExpiresAt: new Date(access.expiresAt * 1000),
    });
    return { accessToken: access.token, refreshToken, tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }

  /**
   * A refresh token that could not be claimed is unknown, expired, revoked, or already used. Used
   * means someone replays a retired token, the client or a thief, and we cannot tell which: the
   * whole family is revoked, with every access token issued from it.
   */
  private async refuse(tokenHash: string, origin: RequestOrigin): Promise<void> {
    const known = await this.dataSource.getRepository(RefreshToken).findOneBy({ tokenHash });
    const reused = known !== null && known.usedAt !== null;
    if (reused) {
      const familyTokens = await this.revokeFamily(known.familyId);
      await failClosed(() => this.revocations.revokeTokens(familyTokens));
    }
    await this.audit.record({
      ...origin,
      actorType: 'anonymous',
      actorId: null,
      action: reused ? 'auth.refresh_reuse' : 'auth.refresh',
      targetType: known ? 'user' : null,
      targetId: known?.userId ?? null,
      outcome: 'failure',
    });
  }

  /** Revokes a family's refresh tokens and returns the access tokens issued with them. */
  private async revokeFamily(familyId: string): Promise<Array<AccessTokenRef & { expiresAt: number }>> {
    // Every row, already revoked or not, so a repeat (e.g. after a 503) deny-lists them all again.
    const result = await this.dataSource
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ revokedAt: () => 'COALESCE(revoked_at, now())' })
      .where('family_id = :familyId', { familyId })
      .returning('user_id, access_token_id, access_token_expires_at')
      .execute();
    return (result.raw as Array<{ user_id: string; access_token_id: string; access_token_expires_at: Date }>).map((row) => ({
      userId: row.user_id,
      tokenId: row.access_token_id,
      expiresAt: new Date(row.access_token_expires_at).getTime() / 1000,
    }));
  }
}

/**
 * Marks the token used if nobody has yet, in one atomic statement: of two concurrent refreshes with
 * one token, the second waits for the first's row lock, then finds `used_at` set and gets no row.
 * A suspended user's token is not claimed (nor retired): it simply stops working.
 */
async function claim(manager: EntityManager, tokenHash: string): Promise<{ id: string; familyId: string; userId: string; expiresAt: Date } | undefined> {
  const result = await manager
    .createQueryBuilder()
    .update(RefreshToken)
    .set({ usedAt: () => 'now()' })
    .where('token_hash = :tokenHash AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()', { tokenHash })
    .andWhere(`user_id IN (SELECT id FROM users WHERE status = 'active')`)
    .returning('id, family_id, user_id, expires_at')
    .execute();
  const [row] = result.raw as Array<{ id: string; family_id: string; user_id: string; expires_at: Date }>;
  return row && { id: row.id, familyId: row.family_id, userId: row.user_id, expiresAt: new Date(row.expires_at) };
}
