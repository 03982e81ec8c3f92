import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ACCESS_TOKEN_TTL_SECONDS, CLOCK_TOLERANCE_SECONDS } from '../token.constants';
import { clientRevocationSubject } from '../access-token-claims';
import { RevocationRecord } from './revocation-store';

/** How far back a revocation can still void a token that has not expired. */
const LOOKBACK_SECONDS = ACCESS_TOKEN_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS;

/**
 * What Postgres, the authority, records as revoked and still relevant: the access tokens of revoked
 * refresh-token families (logout, reuse), and the generations of users and service clients revoked
 * in the last 15 minutes. Read only to (re)build the revocation store, never per request.
 *
 * The one reader outside the tables' repositories: a read model over the revocation columns of
 * three tables, which it never writes. It stays here, whole, because the service clients' module
 * depends on this one (deleting a client revokes through Revocations), so this module cannot
 * depend on the ServiceClientsRepository.
 */
@Injectable()
export class RevocationLedger {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async read(): Promise<RevocationRecord> {
    const [tokens, users, clients] = await Promise.all([
      this.rows<{ subject: string; token_id: string; expires_at: number }>(
        `SELECT user_id AS subject, access_token_id AS token_id, extract(epoch FROM access_token_expires_at)::int AS expires_at
           FROM refresh_tokens WHERE revoked_at IS NOT NULL AND access_token_expires_at > now() - make_interval(secs => $1)`,
      ),
      this.rows<Generation>(
        `SELECT id, token_generation AS generation, extract(epoch FROM tokens_revoked_at)::int AS revoked_at
           FROM users WHERE tokens_revoked_at > now() - make_interval(secs => $1)`,
      ),
      this.rows<Generation>(
        `SELECT id, token_generation AS generation, extract(epoch FROM deleted_at)::int AS revoked_at
           FROM service_clients WHERE deleted_at > now() - make_interval(secs => $1)`,
      ),
    ]);
    return {
      tokens: tokens.map((row) => ({ subject: row.subject, tokenId: row.token_id, expiresAt: row.expires_at })),
      generations: [
        ...users.map((row) => ({ subject: row.id, generation: row.generation, revokedAt: row.revoked_at })),
        ...clients.map((row) => ({ subject: clientRevocationSubject(row.id), generation: row.generation, revokedAt: row.revoked_at })),
      ],
    };
  }

  private rows<T>(sql: string): Promise<T[]> {
    return this.dataSource.query(sql, [LOOKBACK_SECONDS]);
  }
}

interface Generation {
  id: string;
  generation: number;
  revoked_at: number;
}
