import { Injectable } from '@nestjs/common';
import { AuditOutcome } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { HttpOrigin } from '../audit/request-origin.decorator';
import { AccessTokenIssuer } from '../auth/access-token.issuer';
import { ACCESS_TOKEN_TTL_SECONDS } from '../auth/token.constants';
import { Clock } from '../common/clock';
import type { RateLimitReport } from '../throttling/rate-limit-report';
import type { Scope } from '../security/scopes';
import { acceptsSecret } from '../service-clients/client-credentials';
import { ServiceClient } from '../service-clients/service-client.entity';
import { ServiceClientsService } from '../service-clients/service-clients.service';
import { OAuthError } from './oauth-error';
import { TokenThrottle } from './token-throttle';
import { CLIENT_CREDENTIALS_GRANT, TokenRequest } from './token-request';
import { TokenResponse } from './token.response';

/** Longer than any client_id we issue: refused before it is counted or looked up. */
const MAX_CLIENT_ID_LENGTH = 64;

/** The client credentials grant (RFC 6749 §4.4): authenticate the client, check the grant and scope, issue. */
@Injectable()
export class TokenService {
  constructor(
    private readonly clients: ServiceClientsService,
    private readonly issuer: AccessTokenIssuer,
    private readonly throttle: TokenThrottle,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async issue(request: TokenRequest, origin: HttpOrigin, report: RateLimitReport): Promise<TokenResponse> {
    const client = await this.authenticate(request, origin, report);
    if (request.grantType !== CLIENT_CREDENTIALS_GRANT) {
      await this.record(origin, 'failure', client.id, client.id);
      throw new OAuthError('unsupported_grant_type', 'Only the client_credentials grant is supported');
    }
    const scopes = grantedScopes(request.scope, client.scopes);
    if (!scopes) {
      await this.record(origin, 'failure', client.id, client.id);
      throw new OAuthError('invalid_scope', 'scope must be a space-separated subset of the scopes of the client');
    }
    const token = this.issuer.issueForClient({ id: client.id, clientId: client.clientId, scopes, tokenGeneration: client.tokenGeneration });
    await this.record(origin, 'success', client.id, client.id);
    return { access_token: token.token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS, scope: scopes.join(' ') };
  }

  /**
   * The client whose credentials these are, else `invalid_client`: one answer for every reason.
   * An unknown client_id is answered without a secret comparison; that it is unknown is no secret
   * (client ids are public), and every request naming it was still counted by the limit.
   */
  private async authenticate({ credentials }: TokenRequest, origin: HttpOrigin, report: RateLimitReport): Promise<ServiceClient> {
    if (!credentials) throw new OAuthError('invalid_client', 'Client authentication is required');
    const fail = new OAuthError('invalid_client', 'Client authentication failed', credentials.method === 'basic');
    if (credentials.clientId.length > MAX_CLIENT_ID_LENGTH) throw fail;
    await this.throttle.limit(credentials.clientId, origin.ip, report);
    const client = await this.clients.findActiveByClientId(credentials.clientId);
    if (!client || !acceptsSecret(client, credentials.clientSecret, this.clock.now())) {
      await this.record(origin, 'failure', null, client?.id ?? null);
      throw fail;
    }
    return client;
  }

  /** `oauth.token` events: ids and outcome only, never a secret or the token (docs/http-contract.md, Audit). */
  private record(origin: HttpOrigin, outcome: AuditOutcome, actorId: string | null, clientId: string | null): Promise<void> {
    const actorType = actorId ? 'client' : 'anonymous';
    return this.audit.record({ ...origin, actorType, actorId, action: 'oauth.token', targetType: 'service_client', targetId: clientId, outcome });
  }
}

/**
 * RFC 6749 §3.3: `scope` is space-separated; absent means every scope the client holds. Any scope
 * the client does not hold (or a malformed list) refuses the whole request, rather than quietly
 * granting less than was asked for.
 */
function grantedScopes(requested: string | undefined, allowed: readonly Scope[]): Scope[] | undefined {
  if (requested === undefined) return [...allowed];
  const scopes = [...new Set(requested.split(' '))];
  return scopes.every((scope) => (allowed as readonly string[]).includes(scope)) ? (scopes as Scope[]) : undefined;
}
