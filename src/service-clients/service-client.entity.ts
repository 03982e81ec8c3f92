import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Scope } from '../security/scopes';

/**
 * A machine client of the API (OAuth 2.0 client credentials, RFC 6749 §4.4). Its secret is stored
 * only as a hash; during a rotation the previous hash stays valid until its grace period ends.
 */
@Entity('service_clients')
export class ServiceClient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The public `client_id` it authenticates with: random, not a secret. */
  @Column({ name: 'client_id', type: 'varchar', length: 64, unique: true })
  clientId: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** The most its tokens and keys can ever carry. */
  @Column({ type: 'varchar', length: 32, array: true })
  scopes: Scope[];

  @Column({ name: 'secret_hash', type: 'char', length: 64 })
  secretHash: string;

  @Column({ name: 'previous_secret_hash', type: 'char', length: 64, nullable: true })
  previousSecretHash: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Set by DELETE: the row stays for the audit trail, but nothing of the client works any more. */
  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  /** Moves on when the client is deleted: its tokens of an earlier generation are void (docs/decisions/0009). */
  @Column({ name: 'token_generation', type: 'integer', default: 0 })
  tokenGeneration: number;
}
