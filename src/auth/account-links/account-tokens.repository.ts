import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { User } from '../../users/user.entity';
import { hashOpaqueToken, newOpaqueToken } from '../opaque-token';
import { AccountLinkPurpose, LINK_LIFETIME_SECONDS } from './account-link';
import { AccountToken } from './account-token.entity';

/** A token just redeemed: whose, and (for an e-mail change) the address asked for. */
export interface RedeemedToken {
  userId: string;
  userEmail: string;
  newEmail: string | null;
  tokenGeneration: number;
}

/** The one owner of the `account_tokens` table. */
@Injectable()
export class AccountTokensRepository {
  /** A new token for `user`, stored by hash; the plaintext is returned for the mail, once. */
  async issue(
    purpose: AccountLinkPurpose,
    user: Pick<User, 'id' | 'email' | 'tokenGeneration'>,
    newEmail: string | null,
    manager: EntityManager,
  ): Promise<string> {
    const token = newOpaqueToken();
    await manager
      .createQueryBuilder()
      .insert()
      .into(AccountToken)
      .values({
        tokenHash: hashOpaqueToken(token),
        purpose,
        userId: user.id,
        userEmail: user.email,
        newEmail,
        tokenGeneration: user.tokenGeneration,
        expiresAt: () => `now() + interval '${LINK_LIFETIME_SECONDS[purpose]} seconds'`,
      })
      .execute();
    return token;
  }

  /**
   * Marks the token used, in one atomic statement, if it is of this purpose, unused, unexpired, and its user is
   * active with the address and token generation the token was issued for: of two requests racing with one token,
   * the second waits for the first's row lock, then finds `used_at` set. Anything else (unknown, reused, expired,
   * another purpose, voided by a later change) redeems nothing, and the caller cannot tell which, nor can its
   * client. The user's row is not locked here: a write to it that must hold only while the token's binding does
   * checks the generation again (UsersRepository.setPasswordIfCurrent).
   */
  async redeem(token: string, purpose: AccountLinkPurpose, manager: EntityManager): Promise<RedeemedToken | undefined> {
    const rows = await manager.query<Array<{ user_id: string; user_email: string; new_email: string | null; token_generation: number }>>(
      // In a WITH and read by a SELECT: TypeORM returns a bare UPDATE's rows in a driver-specific shape.
      `WITH redeemed AS (UPDATE account_tokens t SET used_at = now()
       FROM users u
       WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > now()
         AND u.id = t.user_id AND u.status = 'active' AND u.email = t.user_email AND u.token_generation = t.token_generation
       RETURNING t.user_id, t.user_email, t.new_email, t.token_generation)
       SELECT * FROM redeemed`,
      [hashOpaqueToken(token), purpose],
    );
    const row = rows[0];
    return row && { userId: row.user_id, userEmail: row.user_email, newEmail: row.new_email, tokenGeneration: row.token_generation };
  }
}
