import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { Scope } from '../security/scopes';
import { AuthorizationRequest } from './authorization-request.entity';

/** A request as it is first stored: what was checked, and the hash of the browser's secret. */
export type NewAuthorizationRequest = Pick<AuthorizationRequest, 'clientId' | 'redirectUri' | 'scopes' | 'state' | 'codeChallenge' | 'browserHash'>;

/** A code being redeemed, with everything it is bound to. */
export interface CodeRedemption {
  codeHash: string;
  clientId: string;
  redirectUri: string;
  /** The S256 challenge of the verifier presented. */
  codeChallenge: string;
  /** The refresh-token family the redemption opens, written with the claim so that a second use finds it. */
  familyId: string;
}

/** A redeemed code: whose it is, and what it grants. */
export interface RedeemedCode {
  userId: string;
  scopes: Scope[];
  tokenGeneration: number;
}

/** Every condition a pending request is taken under: unexpired, undecided, and this browser's (its secret's hash). */
const PENDING = 'id = :id AND browser_hash = :browserHash AND decided_at IS NULL AND expires_at > now()';

/**
 * The one owner of the `authorization_requests` table. Each step is one UPDATE whose WHERE holds every
 * condition of the step, so that of two submissions of one form, or two redemptions of one code, one wins.
 */
@Injectable()
export class AuthorizationRequestsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(row: NewAuthorizationRequest, ttlSeconds: number): Promise<string> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(AuthorizationRequest)
      .values({ ...row, expiresAt: () => `now() + make_interval(secs => ${Number(ttlSeconds)})` })
      .returning('id')
      .execute();
    return (result.raw as Array<{ id: string }>)[0].id;
  }

  /** The request, if it is pending and `browserHash` is its browser's. */
  findPending(id: string, browserHash: string): Promise<AuthorizationRequest | null> {
    return this.dataSource.manager.createQueryBuilder(AuthorizationRequest, 'request').where(PENDING, { id, browserHash }).getOne();
  }

  /**
   * Records who signed in, with the generation their proof was made in, and gives the browser a new secret (OWASP
   * Session Management: a new identifier when the privilege changes). False when the request was not pending, or
   * a user had already signed in to it.
   */
  async bindUser(id: string, browserHash: string, user: { id: string; tokenGeneration: number }, newBrowserHash: string): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(AuthorizationRequest)
      .set({ userId: user.id, tokenGeneration: user.tokenGeneration, browserHash: newBrowserHash })
      .where(`${PENDING} AND user_id IS NULL`, { id, browserHash })
      .execute();
    return result.affected === 1;
  }

  /**
   * The user's decision, once: with `code` (allowed), the code's hash and its expiry; without (denied), none.
   * False when the request was not pending, or nobody had signed in to it.
   */
  async decide(id: string, browserHash: string, code?: { hash: string; ttlSeconds: number }): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(AuthorizationRequest)
      .set({
        decidedAt: () => 'now()',
        ...(code && { codeHash: code.hash, codeExpiresAt: () => `now() + make_interval(secs => ${Number(code.ttlSeconds)})` }),
      })
      .where(`${PENDING} AND user_id IS NOT NULL`, { id, browserHash })
      .execute();
    return result.affected === 1;
  }

  /**
   * Redeems a code, once, in one atomic statement: unused, unexpired, and bound to this client, redirect URI and
   * challenge (RFC 6749 §4.1.3, RFC 7636 §4.6), for a user still active in the generation they signed in with.
   * Of two redemptions racing, the second waits for the first's row lock, then finds `code_used_at` set. A code
   * presented with a wrong binding is not used up by it. The user's consent to the app must still stand, and the
   * redemption holds its row until it commits: a withdrawal deletes the row first, so it waits for a redemption in
   * flight and then revokes the family it opened, and a code redeemed after it opens nothing.
   */
  async redeem(code: CodeRedemption, manager: EntityManager): Promise<RedeemedCode | undefined> {
    const result = await manager
      .createQueryBuilder()
      .update(AuthorizationRequest)
      .set({ codeUsedAt: () => 'now()', familyId: code.familyId })
      .where('code_hash = :codeHash AND code_used_at IS NULL AND code_expires_at > now()', { codeHash: code.codeHash })
      .andWhere('client_id = :clientId AND redirect_uri = :redirectUri AND code_challenge = :codeChallenge', code)
      .andWhere(`EXISTS (SELECT 1 FROM users u WHERE u.id = user_id AND u.status = 'active' AND u.token_generation = authorization_requests.token_generation)`)
      // FOR KEY SHARE: the weakest lock a DELETE waits for; other redemptions, and a consent widened (an UPDATE), never wait for it.
      .andWhere(
        `EXISTS (SELECT 1 FROM oauth_consents c WHERE c.user_id = authorization_requests.user_id AND c.client_id = authorization_requests.client_id FOR KEY SHARE)`,
      )
      .returning('user_id, scopes, token_generation')
      .execute();
    const [row] = result.raw as Array<{ user_id: string; scopes: Scope[]; token_generation: number }>;
    return row && { userId: row.user_id, scopes: row.scopes, tokenGeneration: row.token_generation };
  }

  /**
   * Ends, in the caller's transaction, every request of this user to this app not redeemed yet: its pages, and a
   * code issued but not used (a withdrawal). Without this, a code issued before the withdrawal would open a new
   * family if the user consented again within the code's 60 seconds.
   */
  async endPending(userId: string, clientId: string, manager: EntityManager): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(AuthorizationRequest)
      .set({ expiresAt: () => 'LEAST(expires_at, now())', codeExpiresAt: () => 'LEAST(code_expires_at, now())' })
      .where({ userId, clientId, codeUsedAt: IsNull() })
      .execute();
  }

  /** The family a code's first redemption opened, if it was redeemed: a second use revokes it. */
  async redeemedFamily(codeHash: string): Promise<string | undefined> {
    const row = await this.dataSource.manager.findOneBy(AuthorizationRequest, { codeHash });
    return row?.familyId ?? undefined;
  }
}
