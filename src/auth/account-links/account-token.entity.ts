import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AccountLinkPurpose } from './account-link';

/**
 * The token of one mailed link, by hash only (the plaintext is in the mail and nowhere else), for one purpose and
 * one user. It is bound to the user's address and token generation when it was issued: a later e-mail change,
 * password change, "sign out everywhere" or suspension voids it (AccountTokensRepository.redeem).
 */
@Entity('account_tokens')
export class AccountToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash: string;

  @Column({ type: 'varchar', length: 24 })
  purpose: AccountLinkPurpose;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** The user's address when the token was issued. */
  @Column({ name: 'user_email', type: 'varchar', length: 254 })
  userEmail: string;

  /** For an e-mail change: the address the user asked for, and the link was mailed to. */
  @Column({ name: 'new_email', type: 'varchar', length: 254, nullable: true })
  newEmail: string | null;

  @Column({ name: 'token_generation', type: 'integer' })
  tokenGeneration: number;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
