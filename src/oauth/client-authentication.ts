import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { HttpOrigin } from '../audit/request-origin.decorator';
import { Clock } from '../common/clock';
import type { RateLimitReport } from '../throttling/rate-limit-report';
import { acceptsSecret } from '../service-clients/client-credentials';
import { ServiceClient } from '../service-clients/service-client.entity';
import { ServiceClientsService } from '../service-clients/service-clients.service';
import { OAuthError } from './oauth-error';
import { TokenThrottle } from './token-throttle';
import { ClientCredentials } from './token-request';

/** Longer than any client_id we issue: refused before it is counted or looked up. */
const MAX_CLIENT_ID_LENGTH = 64;

/** The audited name of the endpoint a client authenticates at. */
export type ClientEndpoint = 'oauth.token' | 'oauth.revoke' | 'oauth.introspect';

/**
 * Client authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3, RFC 7009 §2.1,
 * RFC 7662 §2.1): one check, one rate limit (TokenThrottle: per client_id and address, counted before the secret
 * is compared), one audited failure.
 */
@Injectable()
export class ClientAuthentication {
  constructor(
    private readonly clients: ServiceClientsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly throttle: TokenThrottle,
  ) {}

  /**
   * The client whose credentials these are, else `invalid_client`: one answer for every reason.
   * An unknown client_id is answered without a secret comparison; that it is unknown is no secret
   * (client ids are public), and every request naming it was still counted by the limit.
   */
  async authenticate(
    credentials: ClientCredentials | undefined,
    endpoint: ClientEndpoint,
    origin: HttpOrigin,
    report: RateLimitReport,
  ): Promise<ServiceClient> {
    if (!credentials) throw new OAuthError('invalid_client', 'Client authentication is required');
    const fail = new OAuthError('invalid_client', 'Client authentication failed', credentials.method === 'basic');
    if (credentials.clientId.length > MAX_CLIENT_ID_LENGTH) throw fail;
    await this.throttle.limit(credentials.clientId, origin.ip, report);
    const client = await this.clients.findActiveByClientId(credentials.clientId);
    if (!client || !this.authenticates(client, credentials)) {
      const target = client?.id ?? null;
      await this.audit.record({
        ...origin,
        actorType: 'anonymous',
        actorId: null,
        action: endpoint,
        targetType: 'service_client',
        targetId: target,
        outcome: 'failure',
      });
      throw fail;
    }
    return client;
  }

  /**
   * RFC 6749 §2.3: a confidential client proves itself with its secret and may not go without; a public client has
   * none to prove (§2.1), names itself alone, and PKCE binds its code to it (RFC 7636).
   */
  private authenticates(client: ServiceClient, credentials: ClientCredentials): boolean {
    if (credentials.method === 'none') return client.type === 'public';
    return client.type === 'confidential' && acceptsSecret(client, credentials.clientSecret, this.clock.now());
  }
}
