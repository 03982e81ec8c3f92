import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_PREFIX } from '../common/http/api-prefix';
import { toResponse } from '../common/http/response';
import { AppConfig } from '../config/app-config';
import { Public } from '../security/public.decorator';
import { SCOPES } from '../security/scopes';
import { GRANT_TYPES } from '../service-clients/service-client.entity';
import { AUTHORIZE_PATH } from './authorize.controller';
import { AuthorizationServerMetadata, ProtectedResourceMetadata } from './oauth-metadata.response';
import { PKCE_METHOD } from './pkce';
import { INTROSPECTION_ROUTE, REVOCATION_ROUTE } from './presented-token.controller';
import { CLIENT_AUTH_METHODS } from './token-request';
import { TOKEN_CONTROLLER_PATH, TOKEN_ROUTE } from './token.controller';

/**
 * OAuth discovery at the RFC 8615 `/.well-known/` paths, outside /api/v1: RFC 8414 authorization
 * server metadata (what openid-client's `discovery()` reads) and RFC 9728 protected resource
 * metadata. Built from what the authorization server itself uses: the issuer it signs with (PUBLIC_URL),
 * its routes (authorization, token, revocation, introspection), the scopes, the grants, the client authentication methods and the one PKCE method.
 */
@ApiTags('oauth')
@Public()
@Controller('.well-known')
export class OAuthMetadataController {
  constructor(private readonly config: AppConfig) {}

  @Get('oauth-authorization-server')
  @ApiOperation({ summary: 'Authorization server metadata (RFC 8414)' })
  @ApiOkResponse({ type: AuthorizationServerMetadata })
  authorizationServer(): AuthorizationServerMetadata {
    const issuer = this.config.publicUrl;
    const oauthEndpoint = (route: string) => `${issuer}/${API_PREFIX}/${TOKEN_CONTROLLER_PATH}/${route}`;
    const secretMethods = [CLIENT_AUTH_METHODS.basic, CLIENT_AUTH_METHODS.body];
    return toResponse(AuthorizationServerMetadata, {
      issuer,
      authorization_endpoint: `${issuer}/${AUTHORIZE_PATH}`,
      token_endpoint: oauthEndpoint(TOKEN_ROUTE),
      // RFC 8414 §2: RFC 7009 revocation takes public apps too (their sign-out); RFC 7662 introspection only a secret.
      revocation_endpoint: oauthEndpoint(REVOCATION_ROUTE),
      revocation_endpoint_auth_methods_supported: Object.values(CLIENT_AUTH_METHODS),
      introspection_endpoint: oauthEndpoint(INTROSPECTION_ROUTE),
      introspection_endpoint_auth_methods_supported: secretMethods,
      jwks_uri: this.jwksUri(),
      scopes_supported: SCOPES,
      response_types_supported: ['code'],
      grant_types_supported: GRANT_TYPES,
      token_endpoint_auth_methods_supported: Object.values(CLIENT_AUTH_METHODS),
      code_challenge_methods_supported: [PKCE_METHOD],
      authorization_response_iss_parameter_supported: true,
    });
  }

  @Get('oauth-protected-resource')
  @ApiOperation({ summary: 'Protected resource metadata (RFC 9728)' })
  @ApiOkResponse({ type: ProtectedResourceMetadata })
  protectedResource(): ProtectedResourceMetadata {
    return toResponse(ProtectedResourceMetadata, {
      resource: this.config.publicUrl,
      authorization_servers: [this.config.publicUrl],
      jwks_uri: this.jwksUri(),
      scopes_supported: SCOPES,
      bearer_methods_supported: ['header'],
    });
  }

  private jwksUri(): string {
    return `${this.config.publicUrl}/.well-known/jwks.json`;
  }
}
