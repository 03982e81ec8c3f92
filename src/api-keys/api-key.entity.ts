import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Scope } from '../security/scopes';

/**
 * An API key, by hash only: the plaintext is shown once, in the 201 that creates it, and stored
 * nowhere (docs/http-contract.md, API keys). It belongs either to a user or to a service client, never both.
 */
@Entity('api_keys')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Hex SHA-256 of the whole key (see hashApiKey): what a request's key is looked up by. */
  @Column({ name: 'key_hash', type: 'char', length: 64, unique: true })
  keyHash: string;

  /** For display, so an owner can tell keys apart: e.g. `sk_live_7Qx2` … `o7hP`. */
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  @Column({ type: 'char', length: 4 })
  last4: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Chosen at creation; a request can use only those its owner still holds too. */
  @Column({ type: 'varchar', length: 32, array: true })
  scopes: Scope[];

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ name: 'service_client_id', type: 'uuid', nullable: true })
  serviceClientId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Null: no expiry. A rotated key gets one: the end of its grace period. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
