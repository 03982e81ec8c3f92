import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AuditService, RequestOrigin } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { failClosed, unauthorized } from '../security/security-problems';
import { UserToken } from '../security/require-user';
import { User } from '../users/user.entity';
import { UsersRepository } from '../users/users.repository';
import { AccessTokenIssuer } from './access-token.issuer';
import { hashRefreshToken, newRefreshToken } from './refresh-token';
import { RefreshTokensRepository } from './refresh-tokens.repository';
import { Revocations } from './revocation/revocations';
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
  /** The user's token generation when the family was opened. */
  tokenGeneration: number;
}

/** The user a session is for, as read before the password was verified. */
export type SessionUser = Pick<User, 'id' | 'role' | 'tokenGeneration'>;

/**
 * Login sessions: an access token plus a chain ("family") of single-use refresh tokens. Rotation,
 * reuse detection and revocation follow the OAuth 2.0 Security BCP (RFC 9700 §4.14.2).
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly revocations: Revocations,
    private readonly audit: AuditService,
    private readonly apiKeys: ApiKeysService,
    private readonly clock: Clock,
  ) {}

  /**
   * A new session (family) for a user who just proved their password, audited as their login, or
   * `undefined` if that proof is no longer current. The password was verified outside any
   * transaction (argon2 takes ~100 ms); a password change or suspension may have committed since. So
   * the session is written only if the user's generation is still the one read before the
   * verification, checked by an UPDATE that also takes the user's row lock until this transaction
   * commits: a revocation running at the same time either committed first (the generation differs:
   * no session) or waits for this one and then revokes the family it can now see.
   */
  async open(user: SessionUser, origin: RequestOrigin): Promise<Tokens | undefined> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.users.recordLoginIfCurrent(user.id, user.tokenGeneration, manager))) return undefined;
      const family = {
        familyId: randomUUID(),
        parentId: null,
        expiresAt: new Date(this.clock.now().getTime() + REFRESH_FAMILY_TTL_MS),
        tokenGeneration: user.tokenGeneration,
      };
      const tokens = await this.issue(manager, user, family);
      await this.audit.record(
        { ...origin, actorType: 'user', actorId: user.id, action: 'auth.login', targetType: 'user', targetId: user.id, outcome: 'success' },
        manager,
      );
      return tokens;
    });
  }

  /** Exchanges a refresh token for a new pair, once; the old token is retired. */
  async refresh(refreshToken: string, origin: RequestOrigin): Promise<Tokens> {
    const tokenHash = hashRefreshToken(refreshToken);
    const tokens = await this.dataSource.transaction(async (manager) => {
      const claimed = await this.refreshTokens.claim(tokenHash, manager);
      if (!claimed) return undefined;
      const user = await this.users.get(claimed.userId, manager);
      await this.audit.record(
        { ...origin, actorType: 'user', actorId: user.id, action: 'auth.refresh', targetType: 'user', targetId: user.id, outcome: 'success' },
        manager,
      );
      return this.issue(manager, user, {
        familyId: claimed.familyId,
        parentId: claimed.id,
        expiresAt: claimed.expiresAt,
        tokenGeneration: claimed.tokenGeneration,
      });
    });
    if (tokens) return tokens;
    await this.refuse(tokenHash, origin);
    throw unauthorized('Invalid refresh token', false);
  }

  /** Ends the session of this access token: the token itself and its whole refresh family. */
  async logout(token: UserToken, origin: RequestOrigin): Promise<void> {
    const session = await this.refreshTokens.findByAccessTokenId(token.tokenId);
    const familyTokens = session ? await this.refreshTokens.revokeFamily(session.familyId) : [];
    const self = { subject: token.userId, tokenId: token.tokenId, expiresAt: token.expiresAt };
    await failClosed(() => this.revocations.revokeTokens([self, ...familyTokens]));
    await this.audit.record({
      ...origin,
      actorType: 'user',
      actorId: token.userId,
      action: 'auth.logout',
      targetType: 'user',
      targetId: token.userId,
      outcome: 'success',
    });
  }

  /**
   * Ends every session of a user at once, on every instance: every access token and refresh family
   * issued until now, and every API key (a key minted by whoever stole the old password must die
   * with it). For password change and suspension, inside the caller's transaction (`manager`), which
   * rolls back with a 503 if the revocation store cannot be written (Revocations.advanceGeneration).
   */
  async revokeAllForUser(userId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await this.revocations.advanceGeneration(userId, () => this.users.advanceTokenGeneration(userId, manager));
    await this.refreshTokens.revokeAllOfUser(userId, manager);
    await this.apiKeys.revokeAllOf({ kind: 'user', id: userId }, manager);
  }

  private async issue(manager: EntityManager, user: SessionUser, family: Family): Promise<Tokens> {
    const access = this.accessTokens.issue({ id: user.id, role: user.role, tokenGeneration: family.tokenGeneration });
    const refreshToken = newRefreshToken();
    await this.refreshTokens.insert(
      {
        ...family,
        tokenHash: hashRefreshToken(refreshToken),
        userId: user.id,
        accessTokenId: access.id,
        accessTokenExpiresAt: new Date(access.expiresAt * 1000),
      },
      manager,
    );
    return { accessToken: access.token, refreshToken, tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }

  /**
   * A refresh token that could not be claimed is unknown, expired, revoked, or already used. Used
   * means someone replays a retired token, the client or a thief, and we cannot tell which: the
   * whole family is revoked, with every access token issued from it.
   */
  private async refuse(tokenHash: string, origin: RequestOrigin): Promise<void> {
    const known = await this.refreshTokens.findByHash(tokenHash);
    const reused = known !== null && known.usedAt !== null;
    if (reused) {
      const familyTokens = await this.refreshTokens.revokeFamily(known.familyId);
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
}
