import { Injectable } from '@nestjs/common';
import { AuditOutcome } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { HttpOrigin } from '../audit/request-origin.decorator';
import { AccessTokenIssuer } from '../auth/access-token.issuer';
import { ACCESS_TOKEN_TTL_SECONDS } from '../auth/token.constants';
import { Clock } from '../common/clock';
import type { RateLimitReport } from '../throttling/rate-limit-report';
import { acceptsSecret } from '../service-clients/client-credentials';
import { GRANT_TYPES, GrantType, ServiceClient } from '../service-clients/service-client.entity';
import { ServiceClientsService } from '../service-clients/service-clients.service';
import { AuthorizationCodeGrant } from './authorization-code.grant';
import { OAuthError } from './oauth-error';
import { RefreshTokenGrant } from './refresh-token.grant';
import { requestedScopes } from './requested-scopes';
import { TokenThrottle } from './token-throttle';
import { ClientCredentials, TokenRequest } from './token-request';
import { TokenResponse } from './token.response';

/** Longer than any client_id we issue: refused before it is counted or looked up. */
const MAX_CLIENT_ID_LENGTH = 64;

/**
 * The token endpoint (RFC 6749 §3.2): authenticate the client, check that it may use the grant it asks for, and
 * let the grant issue: client credentials (§4.4) here; the authorization code (§4.1.3) and refresh token (§6)
 * grants of apps in their own classes. Every request is audited once, as `oauth.token`.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly clients: ServiceClientsService,
    private readonly issuer: AccessTokenIssuer,
    private readonly codes: AuthorizationCodeGrant,
    private readonly refreshTokens: RefreshTokenGrant,
    private readonly throttle: TokenThrottle,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async issue(request: TokenRequest, origin: HttpOrigin, report: RateLimitReport): Promise<TokenResponse> {
    const client = await this.authenticate(request, origin, report);
    try {
      const tokens = await this.grant(client, request, origin);
      await this.record(origin, 'success', client.id, client.id);
      return tokens;
    } catch (error) {
      if (error instanceof OAuthError) await this.record(origin, 'failure', client.id, client.id);
      throw error;
    }
  }

  private grant(client: ServiceClient, request: TokenRequest, origin: HttpOrigin): Promise<TokenResponse> {
    const grantType = GRANT_TYPES.find((known) => known === request.grantType);
    if (!grantType) throw new OAuthError('unsupported_grant_type', `Supported grant types: ${GRANT_TYPES.join(', ')}`);
    // RFC 6749 §5.2: a client holds one kind of grant (docs/decisions/0024): a service client never gets a user's token.
    if (!client.grantTypes.includes(grantType)) throw new OAuthError('unauthorized_client', 'This client may not use this grant type');
    const grants: Record<GrantType, () => Promise<TokenResponse>> = {
      client_credentials: async () => this.clientCredentials(client, request),
      authorization_code: () => this.codes.exchange(client, request, origin),
      refresh_token: () => this.refreshTokens.refresh(client, request, origin),
    };
    return grants[grantType]();
  }

  /** RFC 6749 §4.4: a token for the client itself, no refresh token (§4.4.3). */
  private clientCredentials(client: ServiceClient, request: TokenRequest): TokenResponse {
    const scopes = requestedScopes(request.scope, client.scopes);
    if (!scopes) throw new OAuthError('invalid_scope', 'scope must be a space-separated subset of the scopes of the client');
    const token = this.issuer.issueForClient({ id: client.id, clientId: client.clientId, scopes, tokenGeneration: client.tokenGeneration });
    return { access_token: token.token, token_type: 'Bearer', expires_in: ACCESS_TOKEN_TTL_SECONDS, scope: token.scope };
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
    if (!client || !this.authenticates(client, credentials)) {
      await this.record(origin, 'failure', null, client?.id ?? null);
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

  /** `oauth.token` events: ids and outcome only, never a secret or the token (docs/http-contract.md, Audit). */
  private record(origin: HttpOrigin, outcome: AuditOutcome, actorId: string | null, clientId: string | null): Promise<void> {
    const actorType = actorId ? 'client' : 'anonymous';
    return this.audit.record({ ...origin, actorType, actorId, action: 'oauth.token', targetType: 'service_client', targetId: clientId, outcome });
  }
}
