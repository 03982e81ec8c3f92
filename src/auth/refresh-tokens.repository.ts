import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, IsNull } from 'typeorm';
import type { Scope } from '../security/scopes';
import { RefreshToken } from './refresh-token.entity';
import { RevokedToken } from './revocation/revocation-store';
import { jsonValue } from '../database/json-value';

/** A refresh token just claimed: what the rotation needs to issue the next one of its family. */
export interface ClaimedRefreshToken {
  id: string;
  familyId: string;
  userId: string;
  expiresAt: Date;
  tokenGeneration: number;
  /** The scopes an app's family was granted (null: the user's own login). */
  scopes: Scope[] | null;
}

type Dates = { createdAt: string; lastUsedAt: string };

/**
 * A refresh token that can still be exchanged: unused, unrevoked, unexpired, and of its user's current token
 * generation while the user is active (a password change or suspension since voids it, even if the revocation
 * missed its row). Read from the users table in the same statement, as `refresh_tokens` rows.
 */
const CLAIMABLE = `used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
  AND EXISTS (SELECT 1 FROM users u WHERE u.id = refresh_tokens.user_id AND u.status = 'active' AND u.token_generation = refresh_tokens.token_generation)`;

/** One session as its user sees it (GET /auth/sessions). */
export interface ActiveSession {
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

/**
 * The one owner of the `refresh_tokens` table. TypeORM's API with entity property names; a raw SQL
 * expression only where the statement must compute or return values itself (`now()`, RETURNING, the
 * claim's conditions), and then columns.
 */
@Injectable()
export class RefreshTokensRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(row: Omit<RefreshToken, 'id' | 'usedAt' | 'revokedAt' | 'createdAt'>, manager: EntityManager): Promise<void> {
    await manager.insert(RefreshToken, row);
  }

  /**
   * Whether the user signed in from this address with this user agent before (`seen`), never from anywhere
   * (`first`: their first session, which needs no notice), or not from this pair (`new`). As far back as the
   * table keeps tokens (src/database/data-retention.ts).
   */
  async deviceSeen(userId: string, ip: string, userAgent: string | null, manager: EntityManager): Promise<'first' | 'seen' | 'new'> {
    // The user's own sign-ins only: an app's families record where the app asked for tokens from.
    const [row] = await manager.query<Array<{ any_session: boolean; this_device: boolean }>>(
      `SELECT EXISTS (SELECT 1 FROM refresh_tokens WHERE user_id = $1 AND client_id IS NULL) AS any_session,
              EXISTS (SELECT 1 FROM refresh_tokens WHERE user_id = $1 AND client_id IS NULL AND ip = $2 AND user_agent IS NOT DISTINCT FROM $3) AS this_device`,
      [userId, ip, userAgent],
    );
    if (!row.any_session) return 'first';
    return row.this_device ? 'seen' : 'new';
  }

  /**
   * A page of the user's own sessions that still work (not the families of apps they authorized): families of the
   * user's current token generation with a
   * refresh token still unused, unrevoked and unexpired; newest use first. `current` marks the family the
   * access token `currentTokenId` was issued in.
   */
  async activeSessions(userId: string, currentTokenId: string, limit: number, offset: number): Promise<[ActiveSession[], number]> {
    // One row whatever the page: the total, and the page as JSON (an empty page still has its total).
    const [{ total, page }] = await this.dataSource.query<Array<{ total: number; page: Array<Omit<ActiveSession, 'createdAt' | 'lastUsedAt'> & Dates> }>>(
      `WITH active AS (
         SELECT family_id AS "id", min(created_at) AS "createdAt", max(created_at) AS "lastUsedAt",
                (array_agg(ip ORDER BY created_at DESC))[1] AS "ip",
                (array_agg(user_agent ORDER BY created_at DESC))[1] AS "userAgent",
                bool_or(access_token_id = $2) AS "current"
         FROM refresh_tokens
         WHERE user_id = $1 AND client_id IS NULL AND token_generation = (SELECT token_generation FROM users WHERE id = $1)
         GROUP BY family_id
         HAVING bool_or(used_at IS NULL AND revoked_at IS NULL AND expires_at > now())
       )
       SELECT (SELECT count(*)::int FROM active) AS total,
              (SELECT coalesce(json_agg(p), '[]') FROM (SELECT * FROM active ORDER BY "lastUsedAt" DESC, "id" LIMIT $3 OFFSET $4) p) AS page`,
      [userId, currentTokenId, limit, offset],
    );
    const rows = jsonValue(page);
    return [rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt), lastUsedAt: new Date(row.lastUsedAt) })), total];
  }

  /** Whether the user has (or had) a session with this id: a refresh family of theirs. */
  hasFamily(userId: string, familyId: string): Promise<boolean> {
    return this.dataSource.manager.existsBy(RefreshToken, { userId, familyId });
  }

  findByHash(tokenHash: string): Promise<RefreshToken | null> {
    return this.dataSource.manager.findOneBy(RefreshToken, { tokenHash });
  }

  /** A token by hash, and whether it can still be exchanged (CLAIMABLE): what introspection and revocation see. */
  async findWithState(tokenHash: string): Promise<{ token: RefreshToken; claimable: boolean } | undefined> {
    const { entities, raw } = await this.dataSource.manager
      .createQueryBuilder(RefreshToken, 'refresh_tokens')
      .addSelect(`(${CLAIMABLE})`, 'claimable')
      .where({ tokenHash })
      .getRawAndEntities<{ claimable: boolean }>();
    return entities[0] && { token: entities[0], claimable: raw[0].claimable };
  }

  /** The session an access token was issued with. */
  findByAccessTokenId(accessTokenId: string): Promise<RefreshToken | null> {
    return this.dataSource.manager.findOneBy(RefreshToken, { accessTokenId });
  }

  /**
   * Marks the token used if nobody has yet, in one atomic statement: of two concurrent refreshes with
   * one token, the second waits for the first's row lock, then finds `used_at` set and gets no row.
   * A family opened before the user's last password change or suspension (an older generation) is
   * not claimed (nor retired): it simply stops working, even if that revocation missed its rows.
   * The user's status and generation are read in the same statement, from their table. A token is bound to the
   * client it was issued to (RFC 6749 §6): `clientId` is the app's registry id, or null for the user's own login,
   * so no app refreshes the user's session, and no app another's family.
   */
  async claim(tokenHash: string, clientId: string | null, manager: EntityManager): Promise<ClaimedRefreshToken | undefined> {
    const result = await manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ usedAt: () => 'now()' })
      .where('token_hash = :tokenHash', { tokenHash })
      .andWhere('client_id IS NOT DISTINCT FROM :clientId', { clientId })
      .andWhere(CLAIMABLE)
      .returning('id, family_id, user_id, expires_at, token_generation, scopes')
      .execute();
    const [row] = result.raw as Array<{ id: string; family_id: string; user_id: string; expires_at: Date; token_generation: number; scopes: Scope[] | null }>;
    return (
      row && {
        id: row.id,
        familyId: row.family_id,
        userId: row.user_id,
        expiresAt: new Date(row.expires_at),
        tokenGeneration: row.token_generation,
        scopes: row.scopes,
      }
    );
  }

  /** Revokes a family's refresh tokens and returns the access tokens issued with them. */
  revokeFamily(familyId: string): Promise<RevokedToken[]> {
    return this.revokeAll({ familyId }, this.dataSource.manager);
  }

  /**
   * Revokes every family of an app (its deletion), or of one user's for it (`userId`: the user withdrew their
   * authorization), in the caller's transaction, and returns the access tokens issued in them that have not expired yet.
   */
  async revokeAllOfClient(clientId: string, manager: EntityManager, userId?: string): Promise<RevokedToken[]> {
    const nowSeconds = Date.now() / 1000;
    return (await this.revokeAll({ clientId, ...(userId !== undefined && { userId }) }, manager)).filter((token) => token.expiresAt > nowSeconds);
  }

  /**
   * Revokes the refresh tokens `where` selects, and returns the access tokens issued with them, until no row of
   * theirs is left unrevoked. One UPDATE is not enough against a rotation racing it: under READ COMMITTED it waits
   * for the rotation's lock on the token being claimed, but the token the rotation then inserts was not in the
   * UPDATE's snapshot, so it would stay unrevoked. Each further UPDATE takes a new snapshot and revokes what the
   * last could not see; a rotation needs an unrevoked token to claim, so the loop ends.
   */
  private async revokeAll(where: FindOptionsWhere<RefreshToken>, manager: EntityManager): Promise<RevokedToken[]> {
    // Every row the first time, already revoked or not, so a repeat (e.g. after a 503) deny-lists them all again.
    let revoked = await this.revokeRows(where, manager);
    const all = [...revoked];
    while (revoked.length > 0) {
      revoked = await this.revokeRows({ ...where, revokedAt: IsNull() }, manager);
      all.push(...revoked);
    }
    return all;
  }

  private async revokeRows(where: FindOptionsWhere<RefreshToken>, manager: EntityManager): Promise<RevokedToken[]> {
    const result = await manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ revokedAt: () => 'COALESCE(revoked_at, now())' })
      .where(where)
      .returning('user_id, access_token_id, access_token_expires_at')
      .execute();
    return revokedTokens(result.raw as RevokedRow[]);
  }

  /** Revokes every refresh token of a user still in use (their access tokens die by the user's generation). */
  async revokeAllOfUser(userId: string, manager: EntityManager): Promise<void> {
    await manager.update(RefreshToken, { userId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }
}

type RevokedRow = { user_id: string; access_token_id: string; access_token_expires_at: Date };

/** The access tokens of refresh-token rows just revoked, as the revocation store takes them. */
function revokedTokens(rows: RevokedRow[]): RevokedToken[] {
  return rows.map((row) => ({ subject: row.user_id, tokenId: row.access_token_id, expiresAt: new Date(row.access_token_expires_at).getTime() / 1000 }));
}
