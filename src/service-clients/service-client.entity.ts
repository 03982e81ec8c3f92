import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Scope } from '../security/scopes';

/** RFC 6749 §2.1: a confidential client holds a secret; a public one (an SPA, a mobile app) cannot keep one. */
export const CLIENT_TYPES = ['confidential', 'public'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

/** The grants a client may use, by their RFC 7591 names: one set for service clients, one for apps. */
export const SERVICE_CLIENT_GRANTS = ['client_credentials'] as const;
export const APP_CLIENT_GRANTS = ['authorization_code', 'refresh_token'] as const;
export type GrantType = (typeof SERVICE_CLIENT_GRANTS)[number] | (typeof APP_CLIENT_GRANTS)[number];
/** Every grant the token endpoint takes, as the RFC 8414 metadata announces them. */
export const GRANT_TYPES: readonly GrantType[] = [...SERVICE_CLIENT_GRANTS, ...APP_CLIENT_GRANTS];

/** The two kinds of client, told apart by the grants they may use: a service client, or an app that users authorize. */
export type ClientKind = 'service' | 'app';
export const KIND_GRANT: Readonly<Record<ClientKind, GrantType>> = { service: 'client_credentials', app: 'authorization_code' };

export function isAppClient(client: Pick<ServiceClient, 'grantTypes'>): boolean {
  return client.grantTypes.includes(KIND_GRANT.app);
}

/**
 * A client of the authorization server, in the one registry (docs/decisions/0024): a service client (a machine,
 * client credentials, RFC 6749 §4.4) or an app that users authorize (the authorization code grant, §4.1). A secret
 * is stored only as a hash; during a rotation the previous hash stays valid until its grace period ends.
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

  @Column({ name: 'client_type', type: 'varchar', length: 12 })
  type: ClientType;

  @Column({ name: 'grant_types', type: 'varchar', length: 32, array: true })
  grantTypes: GrantType[];

  /** An app's redirect URIs, each compared as an exact string (RFC 9700 §4.1.3); none for a service client. */
  @Column({ name: 'redirect_uris', type: 'varchar', length: 2048, array: true })
  redirectUris: string[];

  /** Null for a public client, which has no secret. */
  @Column({ name: 'secret_hash', type: 'char', length: 64, nullable: true })
  secretHash: string | null;

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
