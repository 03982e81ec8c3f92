import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Scope } from '../security/scopes';

/**
 * One refresh token, by hash only: the plaintext is returned to the client once and never stored,
 * so a database leak yields no usable token (OWASP ASVS V3.5).
 */
@Entity('refresh_tokens')
export class RefreshToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Hex SHA-256 of the token. A fast hash is enough: the token is 256 random bits, not a password. */
  @Column({ name: 'token_hash', type: 'char', length: 64, unique: true })
  tokenHash: string;

  /** Every token of one login session; reuse of any of them revokes them all. */
  @Column({ name: 'family_id', type: 'uuid' })
  familyId: string;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId: string | null;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  /**
   * The app the family was opened for, by its registry id (`service_clients.id`), with the scopes the user granted
   * it; both null for the user's own login. Only that app can refresh it (RefreshTokensRepository.claim).
   */
  @Column({ name: 'client_id', type: 'uuid', nullable: true })
  clientId: string | null;

  @Column({ type: 'varchar', length: 32, array: true, nullable: true })
  scopes: Scope[] | null;

  /** The family's absolute end (login + 14 days): rotation never extends it. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** The `jti` and expiry of the access token issued together with this refresh token. */
  @Column({ name: 'access_token_id', type: 'uuid' })
  accessTokenId: string;

  @Column({ name: 'access_token_expires_at', type: 'timestamptz' })
  accessTokenExpiresAt: Date;

  /** The user's token generation when the session was opened: a later one voids the whole family. */
  @Column({ name: 'token_generation', type: 'integer' })
  tokenGeneration: number;

  /** Where the token pair was issued to (login or refresh): the session list shows the latest. */
  @Column({ type: 'varchar', length: 45, nullable: true })
  ip: string | null;

  /** The client's User-Agent, cut to 256 characters: what it says, not a proof of anything. */
  @Column({ name: 'user_agent', type: 'varchar', length: 256, nullable: true })
  userAgent: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
