import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Scope } from '../security/scopes';

/**
 * One `GET /oauth/authorize` (docs/http-contract.md, Delegated authorization), from its check to the code's
 * redemption. The browser that started it holds a secret in a cookie, stored here only as a hash; then the user
 * who signed in, the decision, and the code issued for it, by hash only, bound to the client, the redirect URI
 * and the PKCE challenge.
 */
@Entity('authorization_requests')
export class AuthorizationRequest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The app, by its registry id (`service_clients.id`). */
  @Column({ name: 'client_id', type: 'uuid' })
  clientId: string;

  @Column({ name: 'redirect_uri', type: 'varchar', length: 2048 })
  redirectUri: string;

  @Column({ type: 'varchar', length: 32, array: true })
  scopes: Scope[];

  @Column({ type: 'varchar', length: 512 })
  state: string;

  @Column({ name: 'code_challenge', type: 'char', length: 43 })
  codeChallenge: string;

  /** Hex SHA-256 of the browser's secret (its cookie, and the forms' CSRF token); replaced when the user signs in. */
  @Column({ name: 'browser_hash', type: 'char', length: 64 })
  browserHash: string;

  /** The end of the browser steps (sign-in and consent). */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  /** The user's token generation when they proved their password: a later revocation voids the code. */
  @Column({ name: 'token_generation', type: 'integer', nullable: true })
  tokenGeneration: number | null;

  /** When the user allowed or denied (or a remembered consent allowed): no form of this request is taken after. */
  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'code_hash', type: 'char', length: 64, nullable: true, unique: true })
  codeHash: string | null;

  @Column({ name: 'code_expires_at', type: 'timestamptz', nullable: true })
  codeExpiresAt: Date | null;

  @Column({ name: 'code_used_at', type: 'timestamptz', nullable: true })
  codeUsedAt: Date | null;

  /** The refresh-token family the code's redemption opened: a second use of the code revokes it (RFC 6749 §4.1.2). */
  @Column({ name: 'family_id', type: 'uuid', nullable: true })
  familyId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
