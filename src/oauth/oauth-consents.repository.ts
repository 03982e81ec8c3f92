import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Scope } from '../security/scopes';
import { OAuthConsent } from './oauth-consent.entity';
import { jsonValue } from '../database/json-value';

/** A consent as the user sees it (GET /users/me/authorizations): the app by its public client_id and name. */
export interface GrantedApp {
  clientId: string;
  name: string;
  scopes: Scope[];
  grantedAt: Date;
  /** When a token was last issued to the app for this user (null: never). */
  lastUsedAt: Date | null;
}

/** One of the caller's consents, as AuthorizationPolicy loads it: whose, and the app's registry id. */
export interface OwnAuthorization {
  userId: string;
  /** The app's registry id (`service_clients.id`). */
  appId: string;
}

/** The one owner of the `oauth_consents` table. */
@Injectable()
export class OAuthConsentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The scopes the user has granted the app so far (none: an empty list). */
  async granted(userId: string, clientId: string): Promise<Scope[]> {
    return (await this.dataSource.manager.findOneBy(OAuthConsent, { userId, clientId }))?.scopes ?? [];
  }

  /** Adds scopes to what the user has granted the app, in one statement (two tabs consenting at once both count). */
  async grant(userId: string, clientId: string, scopes: readonly Scope[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO oauth_consents (user_id, client_id, scopes) VALUES ($1, $2, $3::varchar[])
       ON CONFLICT (user_id, client_id) DO UPDATE
       SET scopes = ARRAY(SELECT DISTINCT unnest(oauth_consents.scopes || EXCLUDED.scopes) ORDER BY 1), granted_at = now()`,
      [userId, clientId, scopes],
    );
  }

  /**
   * A page of the apps the user granted, not deleted, newest grant first, with when each last got tokens for them
   * (the newest of its refresh tokens for this user: each one is issued with an access token).
   */
  async page(userId: string, limit: number, offset: number): Promise<[GrantedApp[], number]> {
    // One row whatever the page: the total, and the page as JSON (an empty page still has its total).
    const [{ total, page }] = await this.dataSource.query<Array<{ total: number; page: Array<GrantedApp & { grantedAt: string; lastUsedAt: string | null }> }>>(
      `WITH granted AS (
         SELECT s.client_id AS "clientId", s.name, c.scopes, c.granted_at AS "grantedAt",
                (SELECT max(r.created_at) FROM refresh_tokens r WHERE r.user_id = c.user_id AND r.client_id = c.client_id) AS "lastUsedAt"
         FROM oauth_consents c JOIN service_clients s ON s.id = c.client_id AND s.deleted_at IS NULL
         WHERE c.user_id = $1
       )
       SELECT (SELECT count(*)::int FROM granted) AS total,
              (SELECT coalesce(json_agg(p), '[]') FROM (
                SELECT "clientId", name, scopes, "grantedAt", "lastUsedAt" FROM granted ORDER BY "grantedAt" DESC, "clientId" LIMIT $2 OFFSET $3
              ) p) AS page`,
      [userId, limit, offset],
    );
    const rows = jsonValue(page);
    return [rows.map((row) => ({ ...row, grantedAt: new Date(row.grantedAt), lastUsedAt: row.lastUsedAt === null ? null : new Date(row.lastUsedAt) })), total];
  }

  /** The user's consent to the app with this public client_id, if the app is not deleted. */
  async findOwn(userId: string, clientId: string): Promise<OwnAuthorization | null> {
    const [row] = await this.dataSource.query<Array<{ app_id: string }>>(
      `SELECT c.client_id AS app_id FROM oauth_consents c JOIN service_clients s ON s.id = c.client_id AND s.deleted_at IS NULL
       WHERE c.user_id = $1 AND s.client_id = $2`,
      [userId, clientId],
    );
    return row ? { userId, appId: row.app_id } : null;
  }

  /**
   * Deletes the consent, in the caller's transaction, keeping the row's lock until commit: a code redemption of this
   * app for this user holds the row while it opens its family (AuthorizationRequestsRepository.redeem), so this waits
   * for one in flight, and one after finds no consent. False when it was gone already.
   */
  async withdraw(authorization: OwnAuthorization, manager: EntityManager): Promise<boolean> {
    const result = await manager.delete(OAuthConsent, { userId: authorization.userId, clientId: authorization.appId });
    return result.affected === 1;
  }
}
