import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HttpOrigin, Origin } from '../audit/request-origin.decorator';
import { ApiProblem } from '../common/openapi/api-problems.decorator';
import { toResponse } from '../common/http/response';
import { RateLimitReport, ReportRateLimits } from '../throttling/rate-limit-report';
import { ClientEndpoint } from './client-endpoint.decorator';
import { readTokenRequest } from './token-request';
import { tokenRequestSchema } from './token-request.body';
import { TokenResponse } from './token.response';
import { TokenService } from './token.service';

/** Where the token endpoint is, under the API prefix; its metadata (RFC 8414) names the same path. */
export const TOKEN_CONTROLLER_PATH = 'oauth';
export const TOKEN_ROUTE = 'token';

/** POST /oauth/token: client credentials (RFC 6749 §4.4) for service clients; authorization code (§4.1.3) and refresh token (§6) for apps. */
@ApiTags('oauth')
@Controller(TOKEN_CONTROLLER_PATH)
export class TokenController {
  constructor(private readonly tokens: TokenService) {}

  /** The client authenticates here, with its secret (or, a public app, its id alone), not with a token. */
  @Post(TOKEN_ROUTE)
  @HttpCode(200)
  @ClientEndpoint({ publicClients: true })
  @ApiOperation({ summary: 'OAuth 2.0 token endpoint: client credentials (RFC 6749 §4.4), authorization code with PKCE (§4.1.3), refresh token (§6)' })
  @ApiBody({ schema: tokenRequestSchema, required: true })
  @ApiOkResponse({ type: TokenResponse })
  @ApiProblem(400, 'invalid_request, invalid_grant, unauthorized_client, unsupported_grant_type or invalid_scope')
  @ApiProblem(401, 'invalid_client: unknown client, wrong secret, or no client authentication')
  async token(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Origin() origin: HttpOrigin,
    @ReportRateLimits() report: RateLimitReport,
  ): Promise<TokenResponse> {
    const request = readTokenRequest(body, authorization);
    return toResponse(TokenResponse, await this.tokens.issue(request, origin, report));
  }
}
