import { Injectable } from '@nestjs/common';
import { AuditOutcome } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { HttpOrigin } from '../audit/request-origin.decorator';
import { AccessTokenIssuer } from '../auth/access-token.issuer';
import { ACCESS_TOKEN_TTL_SECONDS } from '../auth/token.constants';
import type { RateLimitReport } from '../throttling/rate-limit-report';
import { GRANT_TYPES, GrantType, ServiceClient } from '../service-clients/service-client.entity';
import { AuthorizationCodeGrant } from './authorization-code.grant';
import { ClientAuthentication } from './client-authentication';
import { OAuthError } from './oauth-error';
import { RefreshTokenGrant } from './refresh-token.grant';
import { requestedScopes } from './requested-scopes';
import { TokenRequest } from './token-request';
import { TokenResponse } from './token.response';

/**
 * The token endpoint (RFC 6749 §3.2): authenticate the client (ClientAuthentication), check that it may use the grant it asks for, and
 * let the grant issue: client credentials (§4.4) here; the authorization code (§4.1.3) and refresh token (§6)
 * grants of apps in their own classes. Every request is audited once, as `oauth.token`.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly clientAuthentication: ClientAuthentication,
    private readonly issuer: AccessTokenIssuer,
    private readonly codes: AuthorizationCodeGrant,
    private readonly refreshTokens: RefreshTokenGrant,
    private readonly audit: AuditService,
  ) {}

  async issue(request: TokenRequest, origin: HttpOrigin, report: RateLimitReport): Promise<TokenResponse> {
    const client = await this.clientAuthentication.authenticate(request.credentials, 'oauth.token', origin, report);
    try {
      const tokens = await this.grant(client, request, origin);
      await this.record(origin, 'success', client);
      return tokens;
    } catch (error) {
      if (error instanceof OAuthError) await this.record(origin, 'failure', client);
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

  /** `oauth.token` events: ids and outcome only, never a secret or the token (docs/http-contract.md, Audit). */
  private record(origin: HttpOrigin, outcome: AuditOutcome, client: ServiceClient): Promise<void> {
    return this.audit.record({
      ...origin,
      actorType: 'client',
      actorId: client.id,
      action: 'oauth.token',
      targetType: 'service_client',
      targetId: client.id,
      outcome,
    });
  }
}
