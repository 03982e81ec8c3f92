import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Scope } from '../security/scopes';

/** The scopes a user granted an app: an authorization for the same or fewer is not asked again. */
@Entity('oauth_consents')
export class OAuthConsent {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  /** The app, by its registry id (`service_clients.id`). */
  @PrimaryColumn({ name: 'client_id', type: 'uuid' })
  clientId: string;

  @Column({ type: 'varchar', length: 32, array: true })
  scopes: Scope[];

  @Column({ name: 'granted_at', type: 'timestamptz', default: () => 'now()' })
  grantedAt: Date;
}
