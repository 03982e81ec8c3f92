import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Scope } from '../security/scopes';
import { OAuthConsent } from './oauth-consent.entity';

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
}
