import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AuditService, RequestOrigin } from '../audit/audit.service';
import { failClosed, unauthorized } from '../security/security-problems';
import { UserToken } from '../security/require-user';
import { User } from '../users/user.entity';
import { AccessTokenIssuer } from './access-token.issuer';
import { RefreshToken } from './refresh-token.entity';
import { hashRefreshToken, newRefreshToken } from './refresh-token';
import { RevokedToken } from './revocation/revocation-store';
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
    private readonly accessTokens: AccessTokenIssuer,
    private readonly revocations: Revocations,
    private readonly audit: AuditService,
    private readonly apiKeys: ApiKeysService,
  ) {}

  /**
   * A new session (family) for a user who just proved their password, or `undefined` if that proof
   * is no longer current. The password was verified outside any transaction (argon2 takes ~100 ms);
   * a password change or suspension may have committed since. So the session is written only if the
   * user's generation is still the one read before the verification, checked by an UPDATE that also
   * takes the user's row lock until this transaction commits: a revocation running at the same time
   * either committed first (the generation differs: no session) or waits for this one and then
   * revokes the family it can now see.
   */
  async open(user: SessionUser, manager: EntityManager): Promise<Tokens | undefined> {
    const current = await manager
      .createQueryBuilder()
      .update(User)
      .set({ lastLoginAt: () => 'now()' })
      .where(`id = :id AND status = 'active' AND token_generation = :generation`, { id: user.id, generation: user.tokenGeneration })
      .execute();
    if (current.affected !== 1) return undefined;
    const family = { familyId: randomUUID(), parentId: null, expiresAt: new Date(Date.now() + REFRESH_FAMILY_TTL_MS), tokenGeneration: user.tokenGeneration };
    return this.issue(manager, user, family);
  }

  /** Exchanges a refresh token for a new pair, once; the old token is retired. */
  async refresh(refreshToken: string, origin: RequestOrigin): Promise<Tokens> {
    const tokenHash = hashRefreshToken(refreshToken);
    const tokens = await this.dataSource.transaction(async (manager) => {
      const claimed = await claim(manager, tokenHash);
      if (!claimed) return undefined;
      const user = await manager.findOneByOrFail(User, { id: claimed.userId });
      await this.audit.record({ ...origin, actorType: 'user', actorId: user.id, action: 'auth.refresh', targetType: 'user', targetId: user.id, outcome: 'success' }, manager);
      return this.issue(manager, user, { familyId: claimed.familyId, parentId: claimed.id, expiresAt: claimed.expiresAt, tokenGeneration: claimed.tokenGeneration });
    });
    if (tokens) return tokens;
    await this.refuse(tokenHash, origin);
    throw unauthorized('Invalid refresh token', false);
  }

  /** Ends the session of this access token: the token itself and its whole refresh family. */
  async logout(token: UserToken, origin: RequestOrigin): Promise<void> {
    const session = await this.dataSource.getRepository(RefreshToken).findOneBy({ accessTokenId: token.tokenId });
    const familyTokens = session ? await this.revokeFamily(session.familyId) : [];
    const self = { subject: token.userId, tokenId: token.tokenId, expiresAt: token.expiresAt };
    await failClosed(() => this.revocations.revokeTokens([self, ...familyTokens]));
    await this.audit.record({ ...origin, actorType: 'user', actorId: token.userId, action: 'auth.logout', targetType: 'user', targetId: token.userId, outcome: 'success' });
  }

  /**
   * Ends every session of a user at once, on every instance: every access token and refresh family
   * issued until now, and every API key (a key minted by whoever stole the old password must die
   * with it). For password change and suspension, inside the caller's transaction (`manager`).
   * The user's generation moves on in Postgres, the authority, and then in the revocation store;
   * if the store cannot be written, the caller's transaction rolls back and it answers 503, rather
   * than a password changed while the old tokens still work.
   */
  async revokeAllForUser(userId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const update = await manager
      .createQueryBuilder()
      .update(User)
      .set({ tokenGeneration: () => 'token_generation + 1', tokensRevokedAt: () => 'now()' })
      .where('id = :userId', { userId })
      .returning('token_generation AS generation, extract(epoch FROM tokens_revoked_at)::int AS revoked_at')
      .execute();
    const [moved] = update.raw as Array<{ generation: number; revoked_at: number }>;
    await failClosed(() => this.revocations.revokeGenerations({ subject: userId, generation: moved.generation, revokedAt: moved.revoked_at }));
    await manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ revokedAt: () => 'now()' })
      .where('user_id = :userId AND revoked_at IS NULL', { userId })
      .execute();
    await this.apiKeys.revokeAllOf({ kind: 'user', id: userId }, manager);
  }

  private async issue(manager: EntityManager, user: SessionUser, family: Family): Promise<Tokens> {
    const access = this.accessTokens.issue({ id: user.id, role: user.role, tokenGeneration: family.tokenGeneration });
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
  private async revokeFamily(familyId: string): Promise<RevokedToken[]> {
    // Every row, already revoked or not, so a repeat (e.g. after a 503) deny-lists them all again.
    const result = await this.dataSource
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ revokedAt: () => 'COALESCE(revoked_at, now())' })
      .where('family_id = :familyId', { familyId })
      .returning('user_id, access_token_id, access_token_expires_at')
      .execute();
    return (result.raw as Array<{ user_id: string; access_token_id: string; access_token_expires_at: Date }>).map((row) => ({
      subject: row.user_id,
      tokenId: row.access_token_id,
      expiresAt: new Date(row.access_token_expires_at).getTime() / 1000,
    }));
  }
}

/**
 * Marks the token used if nobody has yet, in one atomic statement: of two concurrent refreshes with
 * one token, the second waits for the first's row lock, then finds `used_at` set and gets no row.
 * A family opened before the user's last password change or suspension (an older generation) is
 * not claimed (nor retired): it simply stops working, even if that revocation missed its rows.
 */
async function claim(manager: EntityManager, tokenHash: string): Promise<{ id: string; familyId: string; userId: string; expiresAt: Date; tokenGeneration: number } | undefined> {
  const result = await manager
    .createQueryBuilder()
    .update(RefreshToken)
    .set({ usedAt: () => 'now()' })
    .where('token_hash = :tokenHash AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()', { tokenHash })
    .andWhere(`EXISTS (SELECT 1 FROM users u WHERE u.id = user_id AND u.status = 'active' AND u.token_generation = refresh_tokens.token_generation)`)
    .returning('id, family_id, user_id, expires_at, token_generation')
    .execute();
  const [row] = result.raw as Array<{ id: string; family_id: string; user_id: string; expires_at: Date; token_generation: number }>;
  return row && { id: row.id, familyId: row.family_id, userId: row.user_id, expiresAt: new Date(row.expires_at), tokenGeneration: row.token_generation };
}
