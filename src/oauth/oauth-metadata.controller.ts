import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_PREFIX } from '../common/http/api-prefix';
import { toResponse } from '../common/http/response';
import { AppConfig } from '../config/app-config';
import { Public } from '../security/public.decorator';
import { CLIENT_SCOPES, SCOPES } from '../security/scopes';
import { AuthorizationServerMetadata, ProtectedResourceMetadata } from './oauth-metadata.response';
import { CLIENT_AUTH_METHODS, CLIENT_CREDENTIALS_GRANT } from './token-request';
import { TOKEN_CONTROLLER_PATH, TOKEN_ROUTE } from './token.controller';

/**
 * OAuth discovery at the RFC 8615 `/.well-known/` paths, outside /api/v1: RFC 8414 authorization
 * server metadata (what openid-client's `discovery()` reads) and RFC 9728 protected resource
 * metadata. Built from what the token service itself uses: the issuer it signs with (PUBLIC_URL),
 * its route, the scopes a client can hold, the one grant and the two client authentication methods.
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
    return toResponse(AuthorizationServerMetadata, {
      issuer,
      token_endpoint: `${issuer}/${API_PREFIX}/${TOKEN_CONTROLLER_PATH}/${TOKEN_ROUTE}`,
      jwks_uri: this.jwksUri(),
      scopes_supported: CLIENT_SCOPES,
      response_types_supported: [],
      grant_types_supported: [CLIENT_CREDENTIALS_GRANT],
      token_endpoint_auth_methods_supported: Object.values(CLIENT_AUTH_METHODS),
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
