import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HttpOrigin, Origin } from '../audit/request-origin.decorator';
import { ApiProblem } from '../common/openapi/api-problems.decorator';
import { toResponse } from '../common/http/response';
import { RateLimitReport, ReportRateLimits } from '../throttling/rate-limit-report';
import { ClientEndpoint } from './client-endpoint.decorator';
import { IntrospectionResponse } from './introspection.response';
import { readPresentedTokenRequest } from './presented-token-request';
import { presentedTokenRequestSchema } from './presented-token-request.body';
import { PresentedTokenService } from './presented-token.service';
import { TOKEN_CONTROLLER_PATH } from './token.controller';

/** Where these endpoints are, under the API prefix and next to the token endpoint; the metadata (RFC 8414) names them. */
export const REVOCATION_ROUTE = 'revoke';
export const INTROSPECTION_ROUTE = 'introspect';

/** POST /oauth/revoke (RFC 7009) and POST /oauth/introspect (RFC 7662): a client hands back a token it was issued. */
@ApiTags('oauth')
@Controller(TOKEN_CONTROLLER_PATH)
export class PresentedTokenController {
  constructor(private readonly tokens: PresentedTokenService) {}

  @Post(REVOCATION_ROUTE)
  @HttpCode(200)
  @ClientEndpoint({ publicClients: true })
  @ApiOperation({ summary: 'Token revocation (RFC 7009): ends a refresh token with its whole family, or one access token' })
  @ApiBody({ schema: presentedTokenRequestSchema, required: true })
  @ApiOkResponse({ description: 'Revoked, or nothing to revoke (a token unknown or expired): the body is empty' })
  @ApiProblem(400, 'invalid_request: no token, or a token issued to another client')
  @ApiProblem(401, 'invalid_client: unknown client, wrong secret, or no client authentication')
  async revoke(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Origin() origin: HttpOrigin,
    @ReportRateLimits() report: RateLimitReport,
  ): Promise<void> {
    await this.tokens.revoke(readPresentedTokenRequest(body, authorization), origin, report);
  }

  @Post(INTROSPECTION_ROUTE)
  @HttpCode(200)
  @ClientEndpoint({ publicClients: false })
  @ApiOperation({ summary: 'Token introspection (RFC 7662), for confidential clients, about the tokens issued to them' })
  @ApiBody({ schema: presentedTokenRequestSchema, required: true })
  @ApiOkResponse({ type: IntrospectionResponse })
  @ApiProblem(400, 'invalid_request: no token')
  @ApiProblem(401, 'invalid_client: unknown client, wrong secret, a public client, or no client authentication')
  async introspect(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Origin() origin: HttpOrigin,
    @ReportRateLimits() report: RateLimitReport,
  ): Promise<IntrospectionResponse> {
    return toResponse(IntrospectionResponse, await this.tokens.introspect(readPresentedTokenRequest(body, authorization), origin, report));
  }
}
