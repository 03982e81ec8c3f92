import { Body, Controller, Header, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import { HttpOrigin, Origin } from '../audit/request-origin.decorator';
import { ApiOAuthErrors, ApiProblem } from '../common/openapi/api-problems.decorator';
import { CLIENT_BASIC } from '../common/openapi/openapi';
import { toResponse } from '../common/http/response';
import { Public } from '../security/public.decorator';
import { RateLimitReport, ReportRateLimits } from '../throttling/rate-limit-report';
import { writeOAuthError } from './oauth-error';
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

  /** Public: the client authenticates here, with its secret (or, a public app, its id alone), not with a token. */
  @Public()
  @Post(TOKEN_ROUTE)
  @HttpCode(200)
  // Read by the body parser (a form body is allowed here) and by the ProblemFilter (errors in RFC 6749
  // §5.2's shape): see FastifyContextConfig. One object: a second @RouteConfig would replace the first.
  @RouteConfig({ acceptsFormBody: true, errorWriter: writeOAuthError })
  // RFC 6749 §5.1: a response holding a token is never stored by a cache (Pragma for HTTP/1.0 ones).
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({ summary: 'OAuth 2.0 token endpoint: client credentials (RFC 6749 §4.4), authorization code with PKCE (§4.1.3), refresh token (§6)' })
  // RFC 6749 §2.3.1: HTTP Basic, or client_id and client_secret in the body, or a public app's client_id alone (the empty requirement).
  // (Applied bottom-up: Basic first, then the empty requirement.)
  @ApiSecurity({})
  @ApiSecurity(CLIENT_BASIC)
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ schema: tokenRequestSchema, required: true })
  @ApiOkResponse({ type: TokenResponse })
  @ApiOAuthErrors()
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
